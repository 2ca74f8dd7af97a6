"""Knowledge base: long hand-written guides (getting started, security, retention, glossary)."""

from .model import topic

TOPICS = [
    topic(
        "getting-started", "getting-started", "Getting started with Orbitask: a guide for new teams",
        """
        This guide walks a new team through its first week with Orbitask, from creating the
        workspace to running projects with automations and reports.

        ## 1. Create the workspace

        Sign up at orbitask.com/signup and choose a workspace name and URL. Every new workspace
        starts with a 21-day trial of Pro, so you can try the timeline, custom fields, automations
        and guests before deciding on a plan. No card is needed for the trial.

        Set your profile picture, language and time zone in **Settings > Profile**. The time zone
        matters: due dates end at midnight in your time zone and the daily digest arrives at 8:00
        local time.

        ## 2. Invite your team

        Go to **Admin > Members > Invite members** and paste the email addresses of your
        colleagues, up to 200 at once. Choose the role for each person:

        - **Admins** help you manage members, security and integrations;
        - **Members** create and run projects;
        - **Guests** (Pro and above) see only the projects you share with them.

        Invitations are valid for 7 days. If your company has its own email domain, verify it in
        **Admin > Security > Domains** so that colleagues can join without an invitation.

        ## 3. Create your first project

        Click **New project** in the sidebar. Start from scratch or from one of more than 60
        templates in the gallery, such as *Product launch*, *Sprint planning* or *Client
        onboarding*. Each project gets a short key (for example WEB) that prefixes its task keys
        (WEB-1, WEB-2...).

        Organize tasks in **sections** (for example *Backlog*, *This week*, *Review*) and choose
        a view:

        - **List** for a spreadsheet-like overview (press 1);
        - **Board** for a Kanban board with one column per status (press 2);
        - **Timeline** for a Gantt chart with dependencies (press 3, Pro and above).

        ## 4. Add and assign tasks

        Press **C** anywhere to create a task. Give it an assignee (**A**), a due date
        (**Shift+D**) and labels (**L**). Break big tasks into subtasks, up to 5 levels deep, or
        into a checklist. Use **@mentions** in comments to bring someone in; they get a
        notification even if they don't follow the task.

        Tasks can also arrive by email: every project has an address under **Project ⋯ >
        Settings > Email to task**.

        ## 5. Bring in existing work

        - From another tool: **Admin > Import** supports Trello, Asana, Jira Cloud and ClickUp.
        - From a spreadsheet: **Project ⋯ > Import > CSV** (UTF-8, a Title column, up to 10,000
          rows per file).

        ## 6. Connect your tools

        Connect Slack or Microsoft Teams so that updates reach the channels where your team
        talks, and GitHub or GitLab so that pull requests appear on tasks. Attach files from
        Google Drive, Dropbox or OneDrive as links; linked files don't use your storage quota.

        ## 7. Automate the routine

        In **Project > Automations > New rule**, combine a trigger with an action, for example
        *when status changes to Review, assign to the team lead*. Each action counts as a run:
        100 per month on Starter, 1,000 on Pro, 10,000 on Business.

        ## 8. Keep everyone informed without noise

        Encourage everyone to tune **Settings > Notifications**: the daily digest replaces
        individual emails, and noisy projects can be muted from their menu. The **Inbox**
        (G then I) collects everything that needs your attention.

        ## 9. Secure the workspace

        - Turn on two-factor authentication for your own account in **Settings > Security >
          Two-factor authentication**, and require it for everyone (Pro and above) in **Admin >
          Security > Authentication**.
        - On Business and Enterprise, set up SAML single sign-on; on Enterprise, add SCIM
          provisioning and an IP allowlist.

        ## 10. Report on progress

        **Reports** shows tasks completed per week, overdue tasks per person and time tracked
        (Pro and above). Business adds the Workload view to balance work across the team. Export
        any report as CSV, XLSX or PDF.

        ## Choosing a plan

        Before the trial ends, compare plans in **Admin > Billing > Plan**. Small teams often
        start on Starter (up to 25 members); teams that need guests, the timeline and custom
        fields choose Pro; companies that need SSO and an audit log choose Business. If you do
        nothing, the workspace moves to Free when the trial ends and nothing is deleted.
        """,
    ),
    topic(
        "security-overview", "account-security", "Security at Orbitask", html=True,
        body="""
        Security is part of how we build and run Orbitask. This page summarizes our practices; our
        SOC 2 Type II report and penetration test summary are available under NDA from
        security@orbitask.com.

        ## Certifications and audits

        - **SOC 2 Type II**, audited every year.
        - **ISO/IEC 27001** certified information security management system.
        - An independent **penetration test** every year, plus continuous automated scanning.
        - A public **bug bounty** program; report vulnerabilities to security@orbitask.com.

        ## Encryption

        - All data is encrypted **in transit with TLS 1.2 or later**, with HSTS on every domain.
        - Data **at rest** (databases, files, backups and search indexes) is encrypted with
          **AES-256**.
        - Encryption keys are managed in a cloud key management service and rotated every year.
          Enterprise customers can bring their own key (BYOK).

        ## Infrastructure

        Orbitask runs on a major public cloud in three regions: the EU (Frankfurt), the US
        (Northern Virginia) and Australia (Sydney). Each region spans three availability zones.
        Production access is limited to a small on-call team, requires hardware security keys and
        is logged.

        ## Backups and recovery

        - Databases are backed up continuously with point-in-time recovery; backups are kept for
          **35 days** and stored in the same region as the data.
        - Uploaded files are stored redundantly across availability zones.
        - We test restores every quarter. Our recovery point objective is **1 hour** and our
          recovery time objective is **4 hours**.

        ## Application security

        - Single sign-on with SAML 2.0 (Business and Enterprise) and SCIM 2.0 provisioning
          (Enterprise).
        - Two-factor authentication for every account, enforceable per workspace.
        - IP allowlists on Enterprise.
        - Audit logs: 1 year on Business, 3 years on Enterprise.
        - Passwords are hashed with Argon2id; we check new passwords against known breaches.
        - Every code change is reviewed and scanned for vulnerable dependencies before release.

        ## People

        Employees pass background checks where the law allows, complete security training every
        year and sign confidentiality agreements. Access to customer data requires a support
        ticket and your permission, except to investigate abuse or when the law requires it.

        ## Incident response

        Our security team is on call around the clock. If an incident affects your data, we
        notify the Owner and Admins of affected workspaces without undue delay and within
        **72 hours** of confirming it, with what happened, what data was involved and what we
        are doing about it. Post-incident reports are published on status.orbitask.com.

        ## Your part

        Security is shared. The settings that matter most are in your hands:

        - turn on two-factor authentication, and require it for the workspace;
        - use SAML SSO and SCIM so that leavers lose access the day they leave;
        - review guests and API tokens regularly (**Admin > Security > API tokens**);
        - keep the audit log under watch, or stream it to your SIEM.

        ## Questionnaires and documents

        Our Trust Center at orbitask.com/trust has the SOC 2 report (under NDA), the ISO 27001
        certificate, a completed CAIQ and SIG Lite questionnaire, the subprocessor list and the
        DPA. Enterprise customers can request a call with our security team.

        ## Privacy

        We process customer data only to provide the service, under our Data Processing
        Agreement. We never sell customer data or use it to train AI models.
        """,
    ),
    topic(
        "data-retention", "admin", "Data retention: how long Orbitask keeps what",
        """
        This article lists how long Orbitask keeps each kind of data, and what happens when you
        delete something. The periods apply to every plan unless noted.

        ## Things you delete

        | What | Where it goes | Kept for |
        |---|---|---|
        | Tasks, projects, files | Trash | 30 days, then permanently deleted |
        | Comments | Deleted immediately | Edits possible for 24 hours after posting |
        | Your account | Pending deletion | 30 days; signing in cancels the deletion |
        | A workspace | Pending deletion | 60 days; support can restore it |

        After these periods, data is removed from our live systems. It disappears from backups
        within a further **35 days**, when the last backup containing it expires.

        ## History and logs

        | What | Free | Starter | Pro | Business | Enterprise |
        |---|---|---|---|---|---|
        | Activity history on tasks | 30 days | 1 year | unlimited | unlimited | unlimited |
        | Audit log | no | no | no | 1 year | 3 years |
        | Webhook delivery log | last 500 deliveries | same | same | same | same |
        | Sign-in history (Active sessions) | 90 days | 90 days | 90 days | 90 days | 90 days |

        ## Exports and temporary files

        - Workspace export download links are valid for **7 days**; the file is then deleted.
        - Project exports are generated on demand and not kept.
        - Import files are deleted **24 hours** after the import finishes (the undo window).

        ## Backups

        Backups are kept for **35 days** in the same region as the data. They are used only for
        disaster recovery, not to restore single items; use the Trash for that.

        ## After cancellation

        Cancelling a paid plan doesn't delete data: the workspace moves to the Free plan and
        everything stays. A workspace on the Free plan with no sign-ins for **24 months** is
        considered inactive; we email the Owner and Admins 30 days before deleting it.

        ## Legal holds and custom retention (Enterprise)

        Enterprise workspaces can set a custom retention policy per project (for example, delete
        tasks 2 years after completion) in **Admin > Security > Retention policies**, and can put
        the workspace on legal hold, which suspends all deletion, including the Trash. Legal
        holds are recorded in the audit log.

        ## Support tickets

        Support conversations are kept for **3 years** and then deleted. Attachments you send to
        support are deleted after **90 days**.
        """,
    ),
    topic(
        "glossary", "getting-started", "Glossary", html=True,
        body="""
        - **Workspace**: your organization's space in Orbitask, with its members, projects and
          plan.
        - **Project**: a collection of tasks with its own views, statuses and settings.
        - **Section**: a group of tasks inside a project, such as *Backlog* or *This week*.
        - **Task key**: the short ID of a task, made of the project key and a number (WEB-142).
        - **Owner**: the one person who controls billing and can delete the workspace.
        - **Guest**: an outside collaborator who sees only shared projects (Pro and above).
        - **Seat**: a paid member or admin on a paid plan.
        - **Automation run**: one action performed by an automation rule.
        - **Inbox**: where your notifications collect inside the app.
        - **Lite list**: the lighter list mode used for projects over 10,000 tasks.
        """,
    ),
]
