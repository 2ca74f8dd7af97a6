"""Orbitask, the fictional product the default data set supports: the facts in table form.

Reference articles (plans, error codes, shortcuts, integrations) are rendered from these tables;
hand-written articles and the support answers quote the same facts.
"""

PRODUCT = "Orbitask"
COMPANY = "Orbitask Labs"
SIGN_OFF = "Best regards,\nOrbitask Support"

# name, monthly price per user (billed monthly), per user per month billed annually, limits...
PLANS = [
    {
        "name": "Free", "monthly": "$0", "annual": "$0", "members": "up to 5",
        "projects": "3 active projects", "storage": "2 GB", "file": "25 MB",
        "history": "30 days", "api": "60", "automations": "none", "guests": "no",
        "sso": "no", "audit": "no",
    },
    {
        "name": "Starter", "monthly": "$8", "annual": "$6", "members": "up to 25",
        "projects": "unlimited", "storage": "100 GB", "file": "250 MB",
        "history": "1 year", "api": "300", "automations": "100 runs/month", "guests": "no",
        "sso": "no", "audit": "no",
    },
    {
        "name": "Pro", "monthly": "$15", "annual": "$12", "members": "unlimited",
        "projects": "unlimited", "storage": "1 TB", "file": "250 MB",
        "history": "unlimited", "api": "600", "automations": "1,000 runs/month",
        "guests": "5 per paid member", "sso": "no", "audit": "no",
    },
    {
        "name": "Business", "monthly": "$29", "annual": "$24", "members": "unlimited",
        "projects": "unlimited", "storage": "5 TB", "file": "250 MB",
        "history": "unlimited", "api": "1,200", "automations": "10,000 runs/month",
        "guests": "5 per paid member", "sso": "SAML SSO", "audit": "1 year",
    },
    {
        "name": "Enterprise", "monthly": "custom", "annual": "custom (minimum 50 seats)",
        "members": "unlimited", "projects": "unlimited", "storage": "unlimited (fair use)",
        "file": "250 MB", "history": "unlimited", "api": "3,000",
        "automations": "100,000 runs/month", "guests": "5 per paid member",
        "sso": "SAML SSO + SCIM", "audit": "3 years",
    },
]

# code, short message, when it shows up, why, how to fix, the article that covers it
ERROR_CODES = [
    ("ORB-1001", "Session expired", "any page, after a period away",
     "your session ended after 30 days of inactivity, or your password was changed",
     "sign in again; if it repeats every few minutes, allow cookies for app.orbitask.com "
     "and make sure your computer's clock is set automatically", "session-expired"),
    ("ORB-1002", "Invalid verification code", "sign-in, at the two-factor step",
     "the 6-digit code is wrong or expired, most often because the phone's clock is off",
     "set your phone's date and time to automatic and use the newest code; codes change "
     "every 30 seconds", "invalid-2fa-code"),
    ("ORB-1107", "Account temporarily locked", "sign-in",
     "10 failed sign-in attempts within 15 minutes",
     "wait 15 minutes, or reset your password from the sign-in page to unlock at once",
     "account-locked"),
    ("ORB-2040", "File too large", "uploading an attachment",
     "the file is over the per-file limit: 25 MB on Free, 250 MB on paid plans",
     "compress or split the file, or attach it as a Google Drive, Dropbox or OneDrive link",
     "attachment-size-limit"),
    ("ORB-2051", "Storage quota exceeded", "uploading any file",
     "the workspace has used all the storage of its plan",
     "check Admin > Billing > Usage, delete large files and empty the Trash, or upgrade",
     "storage-quota"),
    ("ORB-3003", "Project limit reached", "creating or restoring a project on Free",
     "the Free plan allows 3 active projects",
     "archive a project you no longer use, or upgrade to Starter or above", "project-limit"),
    ("ORB-3310", "Sync conflict", "desktop app, after working offline",
     "the same task was changed offline and online",
     "choose Keep mine, Keep theirs or Keep both in the conflict dialog; unresolved "
     "conflicts stay in Help > Sync conflicts for 7 days", "desktop-sync-conflict"),
    ("ORB-4011", "Invalid API token", "API requests",
     "the personal access token is wrong, expired or revoked",
     "generate a new token in Settings > Developer > Personal access tokens and send it as "
     "'Authorization: Bearer <token>'", "api-tokens"),
    ("ORB-4031", "SSO assertion rejected", "signing in with SAML SSO",
     "the identity provider's signing certificate changed, the clocks differ by more than "
     "5 minutes, or the NameID is not an email address",
     "upload the new certificate in Admin > Security > Single sign-on > Certificate and "
     "check the NameID format", "sso-error-4031"),
    ("ORB-4032", "SCIM token invalid", "user provisioning from your identity provider",
     "the SCIM token expired (tokens are valid for 365 days) or was regenerated",
     "generate a new token in Admin > Security > SCIM provisioning and paste it into your "
     "identity provider", "scim-provisioning"),
    ("ORB-4290", "Rate limit exceeded", "API requests (HTTP 429)",
     "the workspace sent more requests per minute than its plan allows",
     "wait for the number of seconds in the Retry-After header, then retry with backoff",
     "api-rate-limits"),
    ("ORB-5002", "Import failed", "importing a CSV file",
     "the file is not UTF-8, has no 'Title' column, or has more than 10,000 rows",
     "save the file as CSV UTF-8 with a header row that includes Title, and split big files",
     "import-csv"),
    ("ORB-5120", "Integration disconnected", "Slack, Microsoft Teams, GitHub and others",
     "the integration's access was revoked, or the person who connected it left the workspace",
     "go to Admin > Integrations, open the integration and click Reconnect",
     "integration-disconnected"),
    ("ORB-6001", "Payment declined", "renewals and upgrades",
     "the bank declined the charge or the card expired",
     "update the card in Admin > Billing > Payment method; we retry 3 times over 10 days",
     "failed-payment"),
    ("ORB-6004", "Invalid VAT ID", "billing details",
     "the VAT ID did not validate against the EU VIES service",
     "enter it with its country prefix (for example DE123456789) and no spaces", "vat-id"),
    ("ORB-7003", "IP address not allowed", "sign-in and API requests on Enterprise",
     "the workspace's IP allowlist does not include your address",
     "ask an Admin to add your IP or range in Admin > Security > IP allowlist",
     "ip-allowlist"),
    ("ORB-8002", "Can't reach Orbitask", "desktop and web app",
     "a firewall or proxy blocks *.orbitask.com or WebSocket connections",
     "allow *.orbitask.com and wss://realtime.orbitask.com on port 443", "network-error"),
]

# keys (Windows/Linux; on macOS Ctrl is Cmd), what they do, section
SHORTCUTS = [
    ("?", "Show all keyboard shortcuts", "General"),
    ("Ctrl+K", "Open the command palette", "General"),
    ("/", "Focus the search box", "General"),
    ("Esc", "Close the open panel or dialog", "General"),
    ("G then I", "Go to your Inbox", "Navigation"),
    ("G then T", "Go to My tasks", "Navigation"),
    ("G then P", "Go to Projects", "Navigation"),
    ("G then R", "Go to Reports", "Navigation"),
    ("Ctrl+[", "Collapse or expand the sidebar", "Navigation"),
    ("C", "Create a task", "Tasks"),
    ("E", "Edit the selected task's title", "Tasks"),
    ("A", "Assign the selected task", "Tasks"),
    ("Shift+D", "Set the due date", "Tasks"),
    ("Shift+M", "Move the task to another project", "Tasks"),
    ("Shift+T", "Start or stop the timer", "Tasks"),
    ("L", "Add a label", "Tasks"),
    ("Ctrl+Shift+C", "Copy the task link", "Tasks"),
    ("Ctrl+Enter", "Mark the selected task complete", "Tasks"),
    ("Del", "Move the selected task to the Trash", "Tasks"),
    ("J / K", "Next / previous task in a list", "Lists and boards"),
    ("Shift+Click", "Select a range of tasks for bulk edit", "Lists and boards"),
    ("Ctrl+Click", "Add a task to the selection", "Lists and boards"),
    ("Ctrl+A", "Select all tasks in the view", "Lists and boards"),
    ("1 / 2 / 3", "Switch to List / Board / Timeline view", "Lists and boards"),
    ("M", "Comment: mention someone (then type a name)", "Comments"),
    ("Ctrl+Shift+Enter", "Post the comment", "Comments"),
    ("Ctrl+B / Ctrl+I", "Bold / italic in the editor", "Comments"),
]

# name, plans, where to connect, what it does, setup steps, notes, has its own ticket topic
INTEGRATIONS = [
    {
        "name": "GitLab", "slug": "gitlab", "plans": "Starter and above",
        "path": "Admin > Integrations > GitLab",
        "what": "links merge requests, branches and commits to tasks",
        "steps": [
            "Go to Admin > Integrations > GitLab and click Connect.",
            "For GitLab.com, sign in and authorize Orbitask. For GitLab self-managed (version "
            "15.0 or later), enter your instance URL and a group access token with the api scope.",
            "Choose the groups whose projects Orbitask may read.",
        ],
        "notes": [
            "Mention a task key such as WEB-142 in a branch name, commit message or merge "
            "request title to link it.",
            "With Close on merge turned on, merging the request moves the task to Done.",
        ],
    },
    {
        "name": "Bitbucket", "slug": "bitbucket", "plans": "Starter and above",
        "path": "Admin > Integrations > Bitbucket",
        "what": "links Bitbucket Cloud pull requests and commits to tasks",
        "steps": [
            "Go to Admin > Integrations > Bitbucket and click Connect.",
            "Sign in to Bitbucket Cloud and grant access to the workspaces you want to link.",
        ],
        "notes": [
            "Only Bitbucket Cloud is supported; Bitbucket Data Center is not.",
            "Task keys in pull request titles link the pull request to the task.",
        ],
    },
    {
        "name": "Google Drive", "slug": "google-drive", "plans": "all plans",
        "path": "Settings > Integrations > Google Drive",
        "what": "attaches Drive files to tasks as live links",
        "steps": [
            "Go to Settings > Integrations > Google Drive and click Connect.",
            "Choose the Google account and allow read access to the files you pick.",
            "In a task, click Attach > Google Drive and select a file.",
        ],
        "notes": [
            "Linked files do not count towards your Orbitask storage quota.",
            "People who open the link need access to the file in Google Drive.",
        ],
    },
    {
        "name": "Dropbox", "slug": "dropbox", "plans": "all plans",
        "path": "Settings > Integrations > Dropbox",
        "what": "attaches Dropbox files and folders to tasks as links",
        "steps": [
            "Go to Settings > Integrations > Dropbox and click Connect.",
            "In a task, click Attach > Dropbox and choose a file or folder.",
        ],
        "notes": ["Linked files do not count towards your Orbitask storage quota."],
    },
    {
        "name": "OneDrive and SharePoint", "slug": "onedrive", "plans": "all plans",
        "path": "Settings > Integrations > OneDrive",
        "what": "attaches OneDrive and SharePoint files to tasks as links",
        "steps": [
            "Go to Settings > Integrations > OneDrive and click Connect.",
            "Sign in with your Microsoft 365 account.",
            "In a task, click Attach > OneDrive and pick a file.",
        ],
        "notes": [
            "Some Microsoft 365 tenants require an administrator to approve the Orbitask app "
            "before users can connect.",
        ],
    },
    {
        "name": "Figma", "slug": "figma", "plans": "Pro and above",
        "path": "Admin > Integrations > Figma",
        "what": "shows live previews of Figma frames inside tasks",
        "steps": [
            "Go to Admin > Integrations > Figma and click Connect.",
            "Paste a Figma frame or file link into a task description or comment.",
        ],
        "notes": ["Previews refresh every 10 minutes."],
    },
    {
        "name": "Zoom", "slug": "zoom", "plans": "Starter and above",
        "path": "Settings > Integrations > Zoom",
        "what": "starts a Zoom meeting from a task and posts the recording link back",
        "steps": [
            "Go to Settings > Integrations > Zoom and click Connect.",
            "In a task, click the camera icon to start a meeting with the task's followers.",
        ],
        "notes": ["Recording links appear in the task when Zoom finishes processing them."],
    },
    {
        "name": "Google Calendar and Outlook two-way sync", "slug": "calendar-two-way-sync",
        "plans": "Business and above",
        "path": "Settings > Integrations > Calendar sync",
        "what": "keeps task due dates and calendar events in sync in both directions",
        "steps": [
            "Go to Settings > Integrations > Calendar sync.",
            "Connect a Google or Microsoft 365 calendar.",
            "Pick which projects sync, and whether only your own tasks are included.",
        ],
        "notes": [
            "Moving the event in your calendar changes the task's due date.",
            "For a read-only feed on any plan, use the iCal calendar feed instead.",
        ],
    },
]
