"""Knowledge base: import, export and the integrations with their own support topics."""

from .model import topic

IMPORT_EXPORT = "import-export"
INTEGRATIONS = "integrations"

TOPICS = [
    topic(
        "export-workspace", IMPORT_EXPORT, "Export all your workspace data",
        """
        Owners and Admins can export everything in a workspace.

        1. Go to **Admin > Workspace > Export data**.
        2. Choose what to include: projects and tasks, comments, attachments, members.
        3. Click **Start export**.

        The export is a **ZIP** file with:

        - a **JSON** file with all data, including IDs and history;
        - one **CSV** file per project;
        - the attachments in folders per project.

        When it's ready (minutes to a few hours for large workspaces) we email a download link,
        valid for **7 days**. You can start **one export every 24 hours**. Exports are recorded
        in the audit log.
        """,
        subjects=["Export all data", "Full workspace backup", "Download link expired"],
        questions=[
            "How can I export all our data from Orbitask, including attachments?",
            "We need a full backup of our workspace for our records. What format is the export?",
            "The download link for our export doesn't work anymore. How long is it valid?",
            "I tried to start another export and it says I have to wait. Why?",
            "Can a regular member export the whole workspace?",
            "We're leaving Orbitask. How do we take all our projects with us?",
        ],
        details=[
            "The workspace is app.orbitask.com/{workspace}.",
            "The email with the link went to {email}.",
        ],
        answer="""Owners and Admins export everything from Admin > Workspace > Export data: a ZIP with
        a JSON file of all data, a CSV per project and the attachments. The emailed download link
        is valid for 7 days, and you can start one export every 24 hours.""",
    ),
    topic(
        "export-project", IMPORT_EXPORT, "Export a project to CSV, Excel, JSON or PDF",
        """
        Export a single project from its menu: **Project ⋯ > Export**.

        | Format | Contains |
        |---|---|
        | CSV | One row per task with all fields and custom fields |
        | XLSX | The same as CSV, as an Excel workbook |
        | JSON | Tasks with subtasks, comments and history |
        | PDF | The current view (List, Board or Timeline), as shown |

        Exports respect the current filters, so filter first to export part of a project. Any
        member who can see the project can export it. Archived projects can be exported too.

        For a calendar of due dates, use the iCal calendar feed instead.
        """,
        subjects=["Export project to Excel", "Export tasks as CSV", "Print project"],
        questions=[
            "How do I export one project's tasks to Excel?",
            "Can I export only the tasks filtered by a label?",
            "Is there a way to export a project with all the comments?",
            "I need a PDF of our board for a client meeting. How?",
            "Which export formats do you support for projects?",
            "Can I export an archived project?",
        ],
        details=[
            "The client is {company}.",
            "My manager {colleague} needs it by Friday.",
        ],
        answer="""Use Project ⋯ > Export and choose CSV, XLSX, JSON (with comments and history) or
        PDF of the current view. Exports follow the current filters, so filter first to export
        part of a project; archived projects can be exported too.""",
    ),
    topic(
        "import-csv", IMPORT_EXPORT, "Import tasks from a CSV file (ORB-5002)",
        """
        Import tasks into a project from **Project ⋯ > Import > CSV**.

        ## File requirements

        - Encoding: **UTF-8** (in Excel, save as *CSV UTF-8*).
        - A header row with at least a **Title** column. Optional columns: Description,
          Assignee (email), Due date, Start date, Status, Labels, Section, and any custom field
          name.
        - Dates as **YYYY-MM-DD**.
        - Up to **10,000 rows** per file.

        Files that break these rules fail with **ORB-5002: Import failed**, with the first
        problem line shown. After the upload, map columns to fields and preview before importing.

        Imports can be undone for 24 hours from **Project ⋯ > Import > History**.
        """,
        subjects=["CSV import fails", "ORB-5002 import failed", "Import tasks from Excel"],
        questions=[
            "My CSV import fails with ORB-5002 Import failed. The file opens fine in Excel. What's wrong?",
            "What columns does the CSV need for importing tasks?",
            "Special characters like umlauts come out garbled after import. How do I fix that?",
            "Can I import 25,000 tasks from a spreadsheet?",
            "How should dates be formatted in the import file?",
            "I imported the wrong file. Can I undo the import?",
        ],
        details=[
            "The file has a column 'Task name' instead of 'Title'.",
            "I exported it from our old tool at {company}.",
        ],
        answer="""ORB-5002 means the file isn't UTF-8, has no Title column or has more than 10,000
        rows. Save it from Excel as CSV UTF-8 with a header row that includes Title, dates as
        YYYY-MM-DD, and split bigger files; imports can be undone for 24 hours in Project ⋯ >
        Import > History.""",
    ),
    topic(
        "import-other-tools", IMPORT_EXPORT, "Import from Trello, Asana, Jira or ClickUp",
        """
        Bring your projects over from another tool in **Admin > Import**.

        | Source | What comes over |
        |---|---|
        | Trello | Boards, lists (as sections), cards, checklists, labels, comments, attachments |
        | Asana | Projects, sections, tasks, subtasks, custom fields, comments, attachments |
        | Jira Cloud | Projects, issues, sub-tasks, statuses, comments, attachments (up to 50,000 issues per run) |
        | ClickUp | Spaces, lists, tasks, subtasks, comments |

        People are matched by email address; unmatched people can be invited during the import.
        Attachments over your plan's file size limit are skipped and listed in the import report.

        Imports run in the background; you get an email with the report when it finishes.
        """,
        subjects=["Migrate from Trello", "Jira import", "Move from Asana to Orbitask"],
        questions=[
            "We're moving from Trello. Can we import our boards with comments?",
            "How many issues can the Jira import handle at once?",
            "Does the Asana import keep custom fields and subtasks?",
            "Some attachments were missing after our import. Why?",
            "How do imported tasks get matched to our team members?",
            "Can we import from ClickUp?",
        ],
        details=[
            "We have about 80,000 Jira issues at {company}.",
            "Our Trello admin is {colleague}.",
        ],
        answer="""Go to Admin > Import and pick Trello, Asana, Jira Cloud or ClickUp; comments and
        attachments come along and people are matched by email. Jira imports up to 50,000 issues
        per run, and attachments over your plan's file size limit are skipped and listed in the
        import report.""",
    ),
    topic(
        "calendar-feed", IMPORT_EXPORT, "Subscribe to your tasks in a calendar (iCal feed)",
        """
        Show your due dates in Google Calendar, Outlook or Apple Calendar with a read-only iCal
        feed. It's available on every plan.

        1. Go to **Settings > Integrations > Calendar feed**.
        2. Choose *My tasks* or specific projects.
        3. Click **Copy iCal link** and add it to your calendar as a subscription (*From URL*).

        Orbitask updates the feed every **15 minutes**, but calendar apps decide how often they
        fetch it: Google Calendar refreshes subscribed calendars every **8 to 24 hours**, Outlook
        and Apple Calendar more often.

        The link is private; if it leaks, click **Reset link**. For two-way sync, see the Google
        Calendar and Outlook two-way sync (Business and above).
        """,
        subjects=["Calendar feed not updating", "Tasks in Google Calendar", "iCal link"],
        questions=[
            "How do I get my Orbitask due dates into Google Calendar?",
            "Our calendar feed takes a day to show changes. Is that normal?",
            "Where is the iCal link for my tasks?",
            "I shared my calendar link by accident. Can I change it?",
            "Can changes in Outlook update the task due dates?",
            "How often does the calendar feed update?",
        ],
        details=[
            "I use Google Calendar with my account {email}.",
            "My assistant {colleague} also needs to see it.",
        ],
        answer="""Copy the link in Settings > Integrations > Calendar feed and subscribe to it in your
        calendar. Orbitask updates the feed every 15 minutes, but Google Calendar only refreshes
        subscriptions every 8 to 24 hours; use Reset link there if the link leaked.""",
    ),
    topic(
        "slack-integration", INTEGRATIONS, "Slack integration",
        """
        Connect Slack to create tasks from messages and get project updates in channels. It's
        available on every plan.

        ## Connect

        1. Go to **Admin > Integrations > Slack** and click **Connect**.
        2. Choose your Slack workspace and click **Allow**.
        3. In a project, open **⋯ > Settings > Slack** to pick a channel and the events to post.

        ## Use it

        - **/orbitask create** creates a task from Slack.
        - **/orbitask link** connects a channel to a project.
        - Message menu **More actions > Create Orbitask task** turns a message into a task.
        - Mentions and assignments can be delivered as Slack direct messages (**Settings >
          Notifications > Slack**).

        If updates stop, the connection may have been revoked (**ORB-5120: Integration
        disconnected**); reconnect from Admin > Integrations > Slack.
        """,
        subjects=["Connect Slack", "Slack notifications", "/orbitask command"],
        questions=[
            "How do we connect Orbitask to Slack?",
            "Can I create an Orbitask task directly from a Slack message?",
            "How do I get project updates posted to a Slack channel?",
            "What Slack commands does Orbitask have?",
            "Is the Slack integration included in the free plan?",
            "Can I get my Orbitask mentions as Slack DMs instead of emails?",
        ],
        details=[
            "Our Slack workspace is {workspace}.slack.com.",
            "The Slack admin is {colleague}.",
        ],
        answer="""Go to Admin > Integrations > Slack and click Connect; it's on every plan. Then pick
        a channel per project under ⋯ > Settings > Slack, and use /orbitask create or the message
        action Create Orbitask task to turn messages into tasks.""",
    ),
    topic(
        "github-integration", INTEGRATIONS, "GitHub integration",
        """
        Link GitHub branches, commits and pull requests to Orbitask tasks. Available on **Starter
        and above**.

        ## Connect

        1. Go to **Admin > Integrations > GitHub** and click **Install GitHub App**.
        2. Choose the organization and repositories Orbitask may read.

        ## Link work to tasks

        Mention the **task key** (for example WEB-142, shown at the top of each task) in a branch
        name, commit message or pull request title. The task shows the pull request and its
        status.

        With **Close on merge** turned on (Admin > Integrations > GitHub > Settings), merging a
        linked pull request moves the task to Done.

        GitHub Enterprise Server 3.8 and later is supported with a self-hosted connector.
        """,
        subjects=["Link PRs to tasks", "GitHub integration setup", "Close task on merge"],
        questions=[
            "How do I link GitHub pull requests to Orbitask tasks?",
            "Can a task be closed automatically when the PR is merged?",
            "We installed the GitHub app but PRs don't show up on tasks. What are we missing?",
            "Which plans include the GitHub integration?",
            "Does the integration work with GitHub Enterprise Server?",
            "Where do I find the task key to put in my branch name?",
        ],
        details=[
            "The PR title was 'Fix login redirect' without a task key.",
            "Our GitHub org admin is {colleague}.",
            "The task is {task_key}.",
        ],
        answer="""Install the GitHub App from Admin > Integrations > GitHub (Starter and above), then
        mention the task key, for example WEB-142, in the branch name, commit message or pull
        request title. Turn on Close on merge in the integration settings to move the task to Done
        when the pull request is merged.""",
    ),
    topic(
        "microsoft-teams", INTEGRATIONS, "Microsoft Teams integration",
        """
        Use Orbitask inside Microsoft Teams. Available on **Starter and above**.

        1. Go to **Admin > Integrations > Microsoft Teams** and click **Connect**.
        2. A Microsoft 365 administrator may need to approve the Orbitask app in the Teams admin
           center (**Teams apps > Manage apps**).
        3. In a Teams channel, click **+** to add an Orbitask project as a **tab**.

        The Orbitask bot sends mentions and assignments as Teams messages, and the message action
        **Create task** turns a Teams message into a task. Project updates can be posted to a
        channel from the project menu ⋯ > Settings > Microsoft Teams.
        """,
        subjects=["Teams integration", "Add Orbitask to Teams", "Teams app needs approval"],
        questions=[
            "Can we use Orbitask inside Microsoft Teams?",
            "When I try to add the Orbitask app to Teams it says it needs admin approval. What now?",
            "How do I add a project as a tab in a Teams channel?",
            "Can I create a task from a Teams message?",
            "Is the Teams integration available on the free plan?",
            "How do I get Orbitask notifications in Teams?",
        ],
        details=[
            "Our Microsoft 365 admin is {colleague}.",
            "We're {company}, all on Teams.",
        ],
        answer="""Connect it in Admin > Integrations > Microsoft Teams (Starter and above); a Microsoft
        365 administrator may have to approve the Orbitask app in the Teams admin center first.
        Then add a project as a tab with + in a channel, and use the Create task message
        action.""",
    ),
    topic(
        "zapier", INTEGRATIONS, "Zapier",
        """
        Connect Orbitask to thousands of apps through Zapier. Available on **Starter and above**.

        - **Triggers**: new task, task completed, task moved to a status, new comment, new
          project.
        - **Actions**: create task, update task, add comment, find task.

        Connect by searching for Orbitask in Zapier and signing in; Zapier creates a personal
        access token for you.

        Every Zapier request counts towards your workspace's **API rate limit**. Busy Zaps can
        hit the limit (ORB-4290); Zapier retries automatically.
        """,
        subjects=["Zapier connection", "Automate with Zapier", "Zapier rate limit"],
        questions=[
            "Can we connect Orbitask with Zapier?",
            "Our Zaps sometimes fail with a rate limit error. Do Zapier calls count against our API limit?",
            "Which Zapier triggers does Orbitask support?",
            "Is Zapier included in the free plan?",
            "Can Zapier create tasks in Orbitask from form submissions?",
            "How does Zapier authenticate with our Orbitask account?",
        ],
        details=[
            "The Zap was built by {colleague}.",
            "We're on Starter.",
        ],
        answer="""Zapier works on Starter and above, with triggers such as new task or task completed
        and actions such as create task. Every Zapier request counts towards your workspace's API
        rate limit, so busy Zaps can hit ORB-4290; Zapier retries automatically.""",
    ),
    topic(
        "integration-disconnected", INTEGRATIONS, "Error ORB-5120: Integration disconnected",
        """
        **ORB-5120: Integration disconnected** means an integration (Slack, Microsoft Teams,
        GitHub, GitLab, Google Drive...) can no longer reach the other service.

        ## Why

        - Someone revoked Orbitask's access in the other service (for example removed the app
          from Slack).
        - The person who connected the integration **left the workspace** or lost their access.
        - The other service's token expired.

        ## Fix it

        Go to **Admin > Integrations**, open the integration and click **Reconnect**. Reconnect
        with an account that will stay, such as a shared admin account. Settings such as channel
        mappings are kept.
        """,
        subjects=["ORB-5120 integration disconnected", "Slack updates stopped", "Integration broken"],
        questions=[
            "Our Slack channel stopped getting Orbitask updates and the integration shows ORB-5120. How do we fix it?",
            "What does Integration disconnected mean? GitHub links stopped appearing on tasks.",
            "The person who set up our integrations left the company and now they're all broken. What do we do?",
            "Do we lose our channel settings if we reconnect the Slack integration?",
            "I see ORB-5120 on our Teams integration. Is it on your side?",
            "Why would an integration disconnect by itself?",
        ],
        details=[
            "It was set up by {colleague}, who left last month.",
            "I'm the admin, {full}.",
        ],
        answer="""ORB-5120 means the integration lost access, usually because it was revoked or the
        person who connected it left. Go to Admin > Integrations, open the integration and click
        Reconnect, ideally with an account that will stay; settings such as channel mappings are
        kept.""",
    ),
]
