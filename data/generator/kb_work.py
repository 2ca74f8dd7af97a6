"""Knowledge base: projects, tasks, views, files and notifications."""

from .model import topic

CATEGORY = "projects-tasks"

TOPICS = [
    topic(
        "project-limit", CATEGORY, "Error ORB-3003: Project limit reached",
        """
        The Free plan allows **3 active projects**. Creating or restoring a fourth shows
        **ORB-3003: Project limit reached**.

        ## Options

        - **Archive** a project you no longer work on (project menu ⋯ > **Archive project**).
          Archived projects don't count towards the limit and can be unarchived later.
        - **Upgrade** to Starter or above for unlimited projects.

        Projects in the Trash don't count either. Templates count only once they are used to
        create a project.
        """,
        subjects=["ORB-3003 can't create project", "Project limit on free plan", "Fourth project"],
        questions=[
            "I can't create a new project, it says ORB-3003 Project limit reached. We only have three!",
            "How many projects can we have on the free plan?",
            "Is there a way to keep working on the free plan with more than 3 projects?",
            "Do archived projects count towards the project limit?",
            "Why can't I restore a project from the trash? It shows a limit error.",
            "What does ORB-3003 mean?",
        ],
        details=[
            "We're a small volunteer group, {company}.",
            "My email is {email}.",
        ],
        answer="""The Free plan allows 3 active projects, so a fourth shows ORB-3003. Archive a
        project you no longer use (project menu ⋯ > Archive project); archived projects don't
        count towards the limit. Or upgrade to Starter or above for unlimited projects.""",
    ),
    topic(
        "archive-project", CATEGORY, "Archive and unarchive projects",
        """
        Archiving a finished project keeps it out of the way without deleting anything.

        - **Archive**: open the project menu (⋯) and choose **Archive project**.
        - **Find archived projects**: **Sidebar > Archived**.
        - **Unarchive**: open the archived project and click **Unarchive**.

        Archived projects are **read-only**: tasks, comments and files stay searchable and can be
        exported, but nobody can edit them. They don't count towards the Free plan's limit of 3
        active projects. Recurring tasks and automations in an archived project pause.

        Members with Full access to the project, and Admins, can archive and unarchive.
        """,
        subjects=["Archive old projects", "Where are archived projects?", "Unarchive a project"],
        questions=[
            "How do I archive a project that we finished?",
            "Where do archived projects go? I can't find one from last year.",
            "Can we still search old tasks after archiving a project?",
            "How do I bring back an archived project so we can edit it again?",
            "Do automations keep running in archived projects?",
            "Is archiving the same as deleting?",
        ],
        details=[
            "The project is called 'Website relaunch', owned by {colleague}.",
            "I'm on the desktop app on a Mac.",
        ],
        answer="""Open the project menu (⋯) and choose Archive project. Archived projects are
        read-only but stay searchable and exportable, and you find them under Sidebar > Archived,
        where Unarchive brings them back. Automations and recurring tasks pause while a project is
        archived.""",
    ),
    topic(
        "restore-deleted", CATEGORY, "Restore deleted tasks and projects from the Trash",
        """
        Deleted tasks, projects and files go to the **Trash** for **30 days**.

        1. Open **Sidebar > Trash**.
        2. Find the item (filter by type, project or who deleted it).
        3. Click **Restore**.

        A restored task returns to its original project with its comments, attachments and
        subtasks. Members can restore what they deleted themselves; **only Admins can restore
        projects**.

        After 30 days items are deleted permanently and can't be recovered by support. Admins can
        also empty the Trash early; files in the Trash count towards your storage until then.
        """,
        subjects=["Restore deleted task", "Accidentally deleted a project", "Recover from trash"],
        questions=[
            "I accidentally deleted a task with a lot of comments. Can I get it back?",
            "One of our members deleted a whole project. How can we restore it?",
            "How long do deleted items stay in the trash?",
            "We deleted a task about two months ago, can support still recover it?",
            "I can see the deleted project in the trash but the restore button is disabled. Why?",
            "Where is the trash in Orbitask?",
        ],
        details=[
            "It was deleted by {colleague}.",
            "The task key was {task_key}.",
        ],
        answer="""Deleted tasks and projects stay in Sidebar > Trash for 30 days, where Restore puts
        them back with their comments and attachments. Only Admins can restore projects, and after
        30 days items are deleted permanently and support can't recover them.""",
    ),
    topic(
        "recurring-tasks", CATEGORY, "Recurring tasks",
        """
        Make a task repeat from its menu: **Task ⋯ > Repeat**.

        Patterns: daily, every weekday, weekly (choose days), monthly (by date or by weekday,
        for example the second Tuesday), yearly, or custom (every N days, weeks or months).

        ## When the next copy appears

        - **When completed** (default): the next task is created when you complete the current
          one, with the due date moved forward by the pattern.
        - **On schedule**: the next task is created on its date even if the previous one is still
          open.

        Each copy keeps the description, assignee, subtasks, labels and custom fields, but not
        comments or attachments. To stop, open **Task ⋯ > Repeat > Stop repeating**.
        """,
        subjects=["Repeating tasks", "Recurring task not created", "Weekly task"],
        questions=[
            "How do I make a task repeat every Monday?",
            "My recurring task didn't create the next one this week. What decides when it appears?",
            "Can a task repeat on the last Friday of each month?",
            "I want the next occurrence to be created even if I haven't finished the current one. Possible?",
            "How do I stop a task from repeating?",
            "Do comments carry over to the next copy of a recurring task?",
        ],
        details=[
            "It's our weekly report task, assigned to {colleague}.",
            "The task is {task_key}.",
        ],
        answer="""Use Task ⋯ > Repeat and pick the pattern. By default the next copy is created when
        you complete the current task; choose On schedule to create it on its date even if the
        previous one is open. Stop it with Task ⋯ > Repeat > Stop repeating.""",
    ),
    topic(
        "custom-fields", CATEGORY, "Custom fields",
        """
        Custom fields add your own information to tasks. They are available on **Pro and above**.

        ## Add a field

        Open the project menu (⋯) > **Custom fields > Add field**, choose a type and a name.

        Types: Text, Number, Date, Dropdown, People, Checkbox and Currency. **Formula** fields,
        which compute a value from other fields, are available on **Business and above**.

        ## Limits

        - Up to **50 custom fields per project**.
        - Up to 100 options per dropdown.
        - Fields can be shared across projects from **Admin > Custom fields** (Business and
          above).

        Custom fields can be filtered, sorted, shown as columns in List view and exported to CSV
        and XLSX.
        """,
        subjects=["Add custom fields", "Custom field limit", "Formula field"],
        questions=[
            "How can I add a 'budget' field to our tasks?",
            "Is there a limit on how many custom fields a project can have?",
            "I don't see custom fields in our project settings. Are they included in our plan?",
            "Can a custom field calculate a value from two other fields?",
            "Can we reuse the same custom fields across all our projects?",
            "What types of custom fields can I create?",
        ],
        details=[
            "We're on the Starter plan right now.",
            "Our PMO lead {colleague} asked for this.",
        ],
        answer="""Custom fields are on Pro and above: open the project menu (⋯) > Custom fields > Add
        field. Each project can have up to 50 fields of types like Text, Number, Date, Dropdown and
        People; Formula fields need Business or above.""",
    ),
    topic(
        "automations", CATEGORY, "Automations and monthly run limits",
        """
        Automations are rules that do work for you: *when* something happens, *then* Orbitask
        acts. Create one in **Project > Automations > New rule**.

        Triggers: task created, status changed, due date approaching, assignee changed, field
        changed, form submitted. Actions: assign, move, set a field, add a comment, create a
        subtask, send a Slack or Teams message, call a webhook.

        ## Monthly runs

        Every time a rule acts counts as one run, per workspace:

        | Plan | Runs per month |
        |---|---|
        | Starter | 100 |
        | Pro | 1,000 |
        | Business | 10,000 |
        | Enterprise | 100,000 |

        The counter resets on the **1st of each month (UTC)**. At the limit, rules **pause** until
        the reset; nothing is lost, and Admins get an email at 80% and 100%. See usage in
        **Admin > Billing > Usage**.
        """,
        subjects=["Automations stopped running", "Automation limit", "Create an automation rule"],
        questions=[
            "Our automations stopped working halfway through the month. Is there a limit?",
            "How many automation runs do we get on the Pro plan?",
            "When does the automation counter reset?",
            "How do I create a rule that assigns a task when its status changes?",
            "Where can I see how many automation runs we've used?",
            "Do paused automations catch up after the limit resets?",
        ],
        details=[
            "We're on Pro with around 40 people.",
            "The rule was set up by {colleague}.",
        ],
        answer="""Each rule action counts as a run: Starter has 100 per month, Pro 1,000, Business
        10,000 and Enterprise 100,000. At the limit rules pause until the counter resets on the
        1st of each month (UTC); check usage in Admin > Billing > Usage.""",
    ),
    topic(
        "timeline", CATEGORY, "Timeline (Gantt) view",
        """
        The Timeline view shows tasks as bars across a calendar. It is available on **Pro and
        above**.

        - Open it with the view switcher: **View > Timeline**, or press **3**.
        - Drag a bar to move a task; drag its ends to change the start and due dates.
        - Draw a **dependency** by dragging from the end of one bar to another task.
        - Group rows by section, assignee or a custom field.
        - **Export** the timeline as **PDF or PNG** from the view menu (⋯ > Export).

        Tasks without dates appear in the *Unscheduled* panel on the right, from where you can drag
        them onto the timeline.
        """,
        subjects=["Gantt chart", "Timeline view missing", "Export timeline to PDF"],
        questions=[
            "Does Orbitask have a Gantt chart?",
            "I can't find the Timeline view in our project. Is it on our plan?",
            "How do I export the timeline as a PDF for a client presentation?",
            "How do I connect two tasks on the timeline so one starts after the other?",
            "Some tasks don't show up on the timeline. Where are they?",
            "Is there a keyboard shortcut to switch to the timeline?",
        ],
        details=[
            "We're on Starter.",
            "The presentation is for {colleague} at {company}.",
        ],
        answer="""The Timeline (Gantt) view is on Pro and above: use View > Timeline or press 3,
        drag bars to change dates and drag from one bar to another to add a dependency. Export it
        as PDF or PNG from the view menu (⋯ > Export); tasks without dates wait in the Unscheduled
        panel.""",
    ),
    topic(
        "time-tracking", CATEGORY, "Time tracking and timesheets",
        """
        Time tracking is available on **Pro and above**.

        - Start or stop the timer on a task with the clock icon or **Shift+T**.
        - Add time manually from the task's **Time** tab.
        - Only one timer runs at a time; starting another stops the first.

        ## Timesheets

        **Reports > Time** shows time per person, project and week. Export it as **CSV or
        XLSX**. Admins can lock timesheets for past weeks so that entries can't change.

        A timer left running stops automatically after **12 hours**.
        """,
        subjects=["Track time on tasks", "Export timesheets", "Timer"],
        questions=[
            "How do I track time spent on a task?",
            "Can I export everyone's hours for last month to Excel?",
            "I forgot to stop my timer yesterday. Did it run all night?",
            "Is there a shortcut to start the timer?",
            "Where are the timesheets for the team?",
            "Can admins stop people from editing last month's time entries?",
        ],
        details=[
            "I need this for invoicing our client {company}.",
            "My manager {colleague} wants a weekly report.",
        ],
        answer="""On Pro and above, start or stop the timer with the clock icon or Shift+T; a timer
        left running stops after 12 hours. Reports > Time shows timesheets per person and project,
        and you can export them as CSV or XLSX.""",
    ),
    topic(
        "email-to-task", CATEGORY, "Create tasks by email",
        """
        Every project has its own email address: forward or send an email to it and Orbitask
        creates a task.

        - Find the address in **Project ⋯ > Settings > Email to task**. It looks like
          **web-team.k3j9x@in.orbitask.com**.
        - The email subject becomes the task title and the body the description.
        - Attachments are added to the task, up to **25 MB per email**.
        - The sender must be a member of the project; emails from other addresses are rejected
          with a bounce.

        Regenerate the address from the same page if it leaks; the old address stops working at
        once.
        """,
        subjects=["Email to task not working", "Forward emails into Orbitask", "Project email address"],
        questions=[
            "Can I create tasks by forwarding emails to Orbitask?",
            "I forwarded an email to our project address but no task appeared. Why?",
            "Where do I find the email address of a project?",
            "Are attachments included when I email a task in?",
            "Our project email address got spammed. Can we change it?",
            "Can our customers email the project address directly?",
        ],
        details=[
            "I sent it from {email}.",
            "The email had a 40 MB PDF attached.",
        ],
        answer="""Each project has an address under Project ⋯ > Settings > Email to task; the email
        subject becomes the task title. The sender must be a project member, and attachments are
        added up to 25 MB per email. You can regenerate the address there if it gets spammed.""",
    ),
    topic(
        "move-tasks", CATEGORY, "Move tasks between projects",
        """
        Move a task from its menu (**Task ⋯ > Move to project**) or press **Shift+M**. To move
        several, select them and use **Move** in the bulk bar.

        What moves along: comments, attachments, subtasks, followers, time entries and history.

        What changes:

        - Custom fields that don't exist in the target project are dropped.
        - The task gets a new **task key** from the target project (for example WEB-142 becomes
          APP-87). Links with the old key keep working and redirect.
        - Dependencies to tasks in the old project are kept.

        You need edit access to both projects.
        """,
        subjects=["Move task to another project", "Lost custom field values after moving", "Shift+M"],
        questions=[
            "How do I move a task to another project?",
            "I moved some tasks and their custom field values disappeared. Why?",
            "Will the links to a task break if I move it to another project?",
            "Can I move 30 tasks at once?",
            "Do comments and attachments come along when a task is moved?",
            "Is there a keyboard shortcut for moving tasks?",
        ],
        details=[
            "The task was {task_key}.",
            "My colleague {colleague} owns the target project.",
        ],
        answer="""Use Task ⋯ > Move to project or Shift+M; comments, attachments and subtasks move
        with it. Custom fields missing in the target project are dropped, and the task gets a new
        key, but links with the old key redirect.""",
    ),
    topic(
        "attachment-size-limit", CATEGORY, "File size limit for attachments (ORB-2040)",
        """
        Each uploaded file can be up to:

        - **25 MB** on the Free plan;
        - **250 MB** on Starter, Pro, Business and Enterprise.

        Larger files fail with **ORB-2040: File too large**.

        ## Larger files

        Attach them as links from Google Drive, Dropbox or OneDrive (**Attach > Google Drive**
        etc.). Linked files don't use your Orbitask storage. You can also compress or split the
        file.
        """,
        subjects=["ORB-2040 file too large", "Upload limit", "Can't attach video"],
        questions=[
            "I'm trying to upload a 300 MB video and get ORB-2040 File too large. What's the limit?",
            "What is the maximum attachment size in Orbitask?",
            "Why can't I attach a 40 MB PDF? My colleague on another workspace can.",
            "How can we share big design files in tasks?",
            "Does the file size limit depend on the plan?",
            "Uploads fail with ORB-2040. How do I get around that?",
        ],
        details=[
            "We're on the free plan for now.",
            "The file is a recording from our meeting with {colleague}.",
        ],
        answer="""Each file can be up to 25 MB on Free and 250 MB on paid plans; larger uploads fail
        with ORB-2040. Attach bigger files as Google Drive, Dropbox or OneDrive links, which don't
        use your Orbitask storage, or compress the file.""",
    ),
    topic(
        "storage-quota", CATEGORY, "Storage quotas (ORB-2051)",
        """
        Each workspace has a total storage quota for uploaded files:

        | Plan | Storage |
        |---|---|
        | Free | 2 GB |
        | Starter | 100 GB |
        | Pro | 1 TB |
        | Business | 5 TB |
        | Enterprise | unlimited (fair use) |

        When it's full, uploads fail with **ORB-2051: Storage quota exceeded**.

        ## Free up space

        1. See what uses space in **Admin > Billing > Usage** (largest files first).
        2. Delete files you don't need, then **empty the Trash**: deleted files count towards the
           quota until they leave the Trash after 30 days.
        3. Attach big files as cloud links instead of uploading them.

        Or upgrade to a plan with more storage.
        """,
        subjects=["ORB-2051 storage full", "Storage quota", "How much storage do we have?"],
        questions=[
            "We get ORB-2051 Storage quota exceeded when uploading anything. How much storage do we have?",
            "I deleted a lot of files but our storage is still full. Why?",
            "How do I see which files take up the most space?",
            "How much storage comes with the Business plan?",
            "Our storage usage jumped this month. Where can I check it?",
            "What are the storage limits per plan?",
        ],
        details=[
            "We're on Starter, about 20 users.",
            "Our designer {colleague} uploads a lot of large files.",
        ],
        answer="""Storage is 2 GB on Free, 100 GB on Starter, 1 TB on Pro, 5 TB on Business and
        unlimited on Enterprise; ORB-2051 means it's full. Check Admin > Billing > Usage, delete big
        files and empty the Trash, because deleted files count until they leave the Trash after
        30 days.""",
    ),
    topic(
        "bulk-edit", CATEGORY, "Edit many tasks at once",
        """
        Select several tasks in List or Board view:

        - **Shift+Click** selects a range; **Ctrl+Click** (Cmd+Click on macOS) adds one task;
          **Ctrl+A** selects all tasks in the view.
        - The bulk bar appears at the bottom: change assignee, due date, status, labels or custom
          fields, move to another project, or delete.

        You can change up to **500 tasks at once**. Bulk changes can be undone for 10 seconds from
        the confirmation message.
        """,
        subjects=["Bulk edit tasks", "Change assignee for many tasks", "Select multiple tasks"],
        questions=[
            "How can I change the due date of 50 tasks at once?",
            "Is there a way to reassign all tasks from one person to another in one go?",
            "How do I select multiple tasks?",
            "Is there a limit to how many tasks I can bulk edit?",
            "I bulk deleted the wrong tasks. Can I undo that?",
            "Can I add a label to many tasks at the same time?",
        ],
        details=[
            "The tasks belong to {colleague}, who is leaving.",
            "We have about 700 tasks in the project.",
        ],
        answer="""Select tasks with Shift+Click for a range, Ctrl+Click (Cmd+Click on macOS) for
        single tasks or Ctrl+A for all, then use the bulk bar at the bottom. You can change up to
        500 tasks at once and undo for 10 seconds from the confirmation message.""",
    ),
    topic(
        "notifications", CATEGORY, "Notification settings and the daily digest",
        """
        Choose what Orbitask tells you about in **Settings > Notifications**.

        - **Channels**: in-app Inbox, email, mobile push and desktop notifications, each on or
          off per event (assigned to you, mentioned, comment on a task you follow, due soon...).
        - **Daily digest**: one email at **8:00 in your time zone** instead of individual emails.
        - **Mute a project**: project menu ⋯ > **Mute notifications**.
        - **Do not disturb**: pause all notifications for 1 hour to 1 week.

        Notification emails come from notifications@orbitask.com. Your time zone is set in
        **Settings > Profile > Language and time zone**.
        """,
        subjects=["Too many emails", "Daily digest time", "Turn off notifications"],
        questions=[
            "I get far too many emails from Orbitask. How can I reduce them?",
            "Can I get one summary email per day instead of individual notifications?",
            "What time is the daily digest sent? Mine arrives in the middle of the night.",
            "How do I stop notifications from one noisy project?",
            "Can I pause notifications while I'm on vacation?",
            "Where do I choose which events send me emails?",
        ],
        details=[
            "I'm based in Sydney but the account was set up by {colleague} in London.",
            "My email is {email}.",
        ],
        answer="""Open Settings > Notifications to choose email, push and in-app notifications per
        event, or switch to the daily digest, sent at 8:00 in your time zone (set in Settings >
        Profile > Language and time zone). To silence one project, use its menu ⋯ > Mute
        notifications.""",
    ),
    topic(
        "subtasks", CATEGORY, "Subtasks and checklists",
        """
        Break a task down with **subtasks** or a **checklist**.

        - **Subtasks** are full tasks (assignee, due date, comments) that belong to a parent.
          Add one from the task's **Subtasks** section or press **Tab** on a new line. Subtasks
          can nest up to **5 levels** deep.
        - **Checklists** are simple lists of items inside a task, without assignees.

        A parent shows progress (for example 3/5) and can be set to complete automatically when
        all subtasks are done (**Task ⋯ > Complete with subtasks**).

        Convert a checklist item to a subtask from its menu.
        """,
    ),
    topic(
        "labels-and-statuses", CATEGORY, "Labels and custom statuses",
        """
        ## Labels

        Labels are colored tags shared across the workspace. Add one with **L** on a selected
        task. Admins manage labels in **Admin > Labels** (up to 500 per workspace).

        ## Statuses

        Each project has statuses, by default *To do*, *In progress* and *Done*. On **Starter
        and above** you can add your own (up to 20 per project) from the project menu ⋯ >
        **Statuses**. Each status belongs to one group (Not started, Active, Done) so that reports
        know which tasks are finished.

        Board view shows one column per status.
        """,
    ),
    topic(
        "project-templates", CATEGORY, "Project templates",
        """
        Templates let you start new projects with a ready-made structure.

        - **Save a project as template**: project menu ⋯ > **Save as template**. Sections, tasks,
          subtasks, custom fields, automations and relative due dates are kept; comments and
          files are not.
        - **Use a template**: **New project > From template**. Choose a start date; due dates are
          shifted relative to it.
        - **Gallery**: more than 60 ready-made templates (product launch, hiring, sprint
          planning, event planning...).

        Workspace-wide templates managed by Admins are available on **Business and above**.
        """,
    ),
    topic(
        "search", CATEGORY, "Search and search operators",
        """
        Press **/** to focus the search box. Search covers task titles and descriptions,
        comments, project names and file names; on **Pro and above** it also searches inside
        attachments (PDF, DOCX, XLSX and PPTX).

        ## Operators

        | Operator | Example | Finds |
        |---|---|---|
        | assignee: | assignee:me | Tasks assigned to you |
        | status: | status:open | Open tasks |
        | due: | due:<7d | Due in the next 7 days |
        | label: | label:"customer bug" | Tasks with a label |
        | in: | in:"Website relaunch" | Tasks in a project |
        | is: | is:archived | Archived tasks |

        Combine operators with spaces, for example assignee:me due:<7d status:open. Save a search
        as a **filter** to find it in the sidebar.
        """,
    ),
    topic(
        "appearance", "getting-started", "Dark mode and appearance", html=True,
        body="""
        Change how Orbitask looks in **Settings > Appearance**:

        - **Theme**: Light, Dark or System (follows your computer's setting).
        - **Density**: Comfortable or Compact lists.
        - **Start page**: Inbox, My tasks or a favorite project.

        Appearance settings are saved per account and apply to the web, desktop and mobile apps.
        """,
    ),
    topic(
        "language-timezone", "getting-started", "Language and time zone",
        """
        Set your language and time zone in **Settings > Profile > Language and time zone**.

        Orbitask is available in 12 languages: English, German, French, Spanish, Italian,
        Portuguese (Brazil), Dutch, Polish, Swedish, Japanese, Korean and Simplified Chinese.

        Your time zone decides when due dates end, when the daily digest arrives (8:00 local
        time) and how times are shown. By default it follows your computer; turn off **Set
        automatically** to pin it.
        """,
    ),
    topic(
        "mentions-and-comments", CATEGORY, "Comments and @mentions",
        """
        Discuss work in the comments of each task.

        - **Mention** someone with **@** followed by their name (or press **M**); they get a
          notification even if they don't follow the task.
        - Mention a whole team with its team name, for example @design.
        - Post with **Ctrl+Shift+Enter** (Cmd+Shift+Enter on macOS).
        - Edit or delete your own comment for **24 hours** after posting.
        - React with emoji; reactions don't notify anyone.

        Comments support Markdown, code blocks and file attachments.
        """,
    ),
    topic(
        "workload-view", CATEGORY, "Workload view",
        """
        The Workload view (**Business and above**) shows how much work each person has per day
        or week, based on task estimates or task count.

        - Open **Reports > Workload** and choose people or a team.
        - Set each person's capacity (default 8 hours per day) in the view's settings.
        - Overloaded days turn red; drag tasks to another person or day to rebalance.
        """,
    ),
    topic(
        "dependencies", CATEGORY, "Task dependencies",
        """
        Dependencies say that one task can't start or finish before another. They are available
        on **Pro and above**.

        Types:

        - **Finish-to-start** (default): B starts after A finishes.
        - **Start-to-start**: B starts when A starts.
        - **Finish-to-finish**: B finishes when A finishes.

        Add them in the task's **Dependencies** section or on the Timeline. With **Auto-shift
        dependent tasks** turned on (project menu ⋯ > Settings), moving a task shifts everything
        that depends on it. Orbitask warns you about circular dependencies.
        """,
    ),
]
