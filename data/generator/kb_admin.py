"""Knowledge base: workspace administration, SSO, SCIM, members and compliance."""

from .model import topic

CATEGORY = "admin"

TOPICS = [
    topic(
        "invite-members", CATEGORY, "Invite people to your workspace",
        """
        Owners and Admins can invite people; on Pro and above Admins can also let Members invite.

        ## Invite

        1. Go to **Admin > Members > Invite members**.
        2. Paste one or more email addresses (up to **200 at once**, separated by commas or new
           lines) and pick a role: Admin, Member or Guest.
        3. Click **Send invitations**.

        Invitations come from notifications@orbitask.com and are valid for **7 days**. Pending
        invitations are listed under **Admin > Members > Pending**, where you can resend or
        revoke them.

        ## Limits

        - The Free plan allows up to 5 members and Starter up to 25; Pro and above have no
          member limit.
        - On paid plans every new Member or Admin is a paid seat (see *Adding and removing
          seats*). Guests are free within your guest allowance.

        ## The invitation didn't arrive

        Ask the person to check their spam folder and allow notifications@orbitask.com, then
        resend it from **Pending**. With a verified domain, people with that email domain can
        also join without an invitation.
        """,
        subjects=["How to invite my team", "Invitation email not received", "Add users to workspace"],
        questions=[
            "How do I add my team members to our Orbitask workspace?",
            "I invited a colleague yesterday but she never got the invitation email. Can you check?",
            "Is there a way to invite 40 people at once instead of one by one?",
            "How long are invitations valid? A new hire says his link doesn't work anymore.",
            "Where do I see who I've invited but hasn't joined yet?",
            "We just signed up, how do I get the rest of the department into the workspace?",
        ],
        details=[
            "The invitation went to {colleague_email}.",
            "She's {colleague}, our new project lead.",
            "We're on the Starter plan with about 20 people.",
        ],
        answer="""Go to Admin > Members > Invite members, paste up to 200 email addresses and pick a
        role. Invitations come from notifications@orbitask.com and are valid for 7 days; you can
        resend or revoke them under Admin > Members > Pending, and the person should check their
        spam folder.""",
    ),
    topic(
        "guest-access", CATEGORY, "Guests: working with clients and freelancers",
        """
        Guests are people outside your company, such as clients, contractors or freelancers, who
        need to see or work on specific projects.

        ## What guests can do

        - See only the projects they are explicitly added to.
        - Comment, complete tasks assigned to them and upload files.
        - They cannot create projects, see the member list or open workspace settings.

        ## Availability and pricing

        Guests are available on **Pro, Business and Enterprise**. Each workspace may have
        **5 free guests per paid member** (a Pro workspace with 10 members can invite 50 guests).
        Starter and Free do not include guests.

        ## Invite a guest

        Open the project, click **Share > Invite guest**, enter their email address and click
        **Invite**. Or use **Admin > Members > Invite members** and choose the Guest role.

        To turn a guest into a member, go to **Admin > Members**, open the guest and choose
        **Change role > Member** (this uses a paid seat).
        """,
        subjects=["Give a client access to one project", "Guest accounts", "External users"],
        questions=[
            "We want our client to see one project without seeing everything else. Is that possible?",
            "How many guests can we add, and do they cost extra?",
            "Can a freelancer access just the tasks we assign them without being a full member?",
            "I'm on Starter and I can't find the option to invite a guest. Where is it?",
            "What can guests see in our workspace? I'm worried about them viewing other clients' projects.",
            "How do I share a project with an external agency?",
        ],
        details=[
            "The client contact is {colleague} ({colleague_email}).",
            "We have 12 paid members on Pro.",
            "Our agency is {company}.",
        ],
        answer="""Guests see only the projects you add them to, via Share > Invite guest in the
        project. They are available on Pro, Business and Enterprise, and each workspace gets 5 free
        guests per paid member; Starter and Free don't include guests.""",
    ),
    topic(
        "roles-and-permissions", CATEGORY, "Roles and permissions",
        """
        Every person in a workspace has one role.

        | Role | What they can do |
        |---|---|
        | Owner | Everything, including billing, deleting the workspace and transferring ownership. There is exactly one Owner. |
        | Admin | Manage members, security settings, integrations and billing; see all public projects. |
        | Member | Create projects, work in the projects they belong to, invite guests if allowed. |
        | Guest | Work only in projects they were invited to (Pro and above). |

        ## Project permissions

        Inside a project, each person has **Full access**, **Can edit** or **Can comment**.
        Private projects are visible only to the people added to them, even for Admins; Admins can
        still archive or delete them from **Admin > Projects**.

        ## Change a role

        Go to **Admin > Members**, open the person and choose **Change role**. Only the Owner can
        make someone an Admin.
        """,
    ),
    topic(
        "create-workspace", "getting-started", "Create a workspace",
        """
        A workspace is your organization's home in Orbitask: its members, projects and billing.

        1. Sign up at orbitask.com/signup with your work email, or with Google or Microsoft.
        2. Choose a workspace name and a workspace URL (**app.orbitask.com/your-slug**). The URL
           is 3 to 40 characters: lowercase letters, numbers and hyphens.
        3. Invite your team, or skip and do it later.

        Every new workspace starts with a **21-day free trial of Pro**, no card required. When the
        trial ends, the workspace moves to the Free plan unless you choose a paid plan. Nothing is
        deleted; projects beyond the Free plan's 3 active projects become read-only until you
        archive some or upgrade.

        You can belong to several workspaces with the same account and switch between them from
        the workspace menu in the top-left corner.
        """,
    ),
    topic(
        "enforce-2fa", CATEGORY, "Require two-factor authentication for your workspace",
        """
        On **Pro, Business and Enterprise**, Owners and Admins can make two-factor
        authentication mandatory for everyone in the workspace.

        1. Go to **Admin > Security > Authentication**.
        2. Turn on **Require two-factor authentication**.
        3. Optionally limit methods to authenticator apps and security keys (no SMS).

        Members and guests who do not have 2FA yet must set it up at their **next sign-in**; they
        cannot open the workspace until they do. API tokens keep working.

        Members who sign in through SAML SSO are exempt: your identity provider handles their
        second factor. **Admin > Members** shows a 2FA column so you can see who has it on.
        """,
        subjects=["Make 2FA mandatory", "Enforce two-factor for all users", "Require 2FA for the team"],
        questions=[
            "Can I force everyone in our workspace to use two-factor authentication?",
            "As an admin, how do I make 2FA mandatory for all members and guests?",
            "Our auditors need proof that every Orbitask user has 2FA. Can we enforce it and see who has it?",
            "What happens to people who don't have 2FA yet when we turn on the requirement?",
            "Is there a setting to block SMS and only allow authenticator apps for our team?",
            "We're on Starter, where is the option to require two-factor for the team?",
        ],
        details=[
            "We have around 80 users at {company}.",
            "Please send the details to {email}, I'm the workspace admin.",
            "We use SSO for employees but guests sign in with passwords.",
        ],
        answer="""On Pro, Business and Enterprise, go to Admin > Security > Authentication and turn
        on Require two-factor authentication; you can also disallow SMS there. Anyone without 2FA
        must set it up at their next sign-in, and Admin > Members shows a 2FA column so you can
        check who has it.""",
    ),
    topic(
        "ip-allowlist", CATEGORY, "Restrict access by IP address (ORB-7003)",
        """
        On **Enterprise**, Admins can limit sign-in and API access to known networks.

        ## Set up the allowlist

        1. Go to **Admin > Security > IP allowlist**.
        2. Add up to **50 entries**: single IPv4 or IPv6 addresses, or CIDR ranges such as
           203.0.113.0/24 or 2001:db8::/32.
        3. Click **Save**. Changes apply within **5 minutes**.

        People connecting from an address that is not on the list see
        **ORB-7003: IP address not allowed**, and API requests get HTTP 403 with the same code.

        ## Avoid locking yourself out

        The workspace **Owner** can always sign in, from any address, to fix the list. Before
        saving, Orbitask warns you if your current address is not covered.

        Remote workers usually connect through the company VPN so that their traffic comes from an
        allowed range.
        """,
        subjects=["ORB-7003 IP not allowed", "IP allowlist setup", "Blocked by IP restriction"],
        questions=[
            "Our office IP {ip} is getting ORB-7003 IP address not allowed. How do we fix that?",
            "How do I restrict Orbitask access to our company network only?",
            "I work from home and suddenly get 'IP address not allowed'. What changed?",
            "How many IP ranges can we put on the allowlist, and does it support IPv6?",
            "We added our new office range to the allowlist but people are still blocked. How long does it take?",
            "Can we limit API access to our servers' IPs, like {ip}?",
        ],
        details=[
            "The new range is {ip}/28 and our IPv6 prefix starts with {ip6}.",
            "My home IP right now is {ip}.",
            "I'm the Owner, {full}, and I'm worried about locking myself out.",
        ],
        answer="""On Enterprise, Admins manage this in Admin > Security > IP allowlist: up to 50
        IPv4 or IPv6 addresses or CIDR ranges, applied within 5 minutes. Anyone outside the list
        gets ORB-7003, so add the missing address there; the workspace Owner can always sign in to
        fix the list.""",
    ),
    topic(
        "data-residency", CATEGORY, "Data residency: where your data is stored",
        """
        Enterprise workspaces choose the region where their data is stored and processed:

        - **EU** (Frankfurt, Germany)
        - **US** (Northern Virginia, USA)
        - **Australia** (Sydney)

        Task data, comments, files, search indexes and backups stay in the chosen region. Billing
        data and support tickets are processed in the US and the EU.

        ## Choosing and moving regions

        The region is chosen when the Enterprise workspace is set up. To move an existing
        workspace, contact your customer success manager: a migration takes up to **10 business
        days** to schedule and includes a read-only window of about 2 hours.

        Workspaces on other plans are stored in the US region. Your current region is shown
        in **Admin > Workspace > General**.
        """,
        subjects=["Data location EU", "Where is our data hosted?", "Move workspace to EU region"],
        questions=[
            "Where is our Orbitask data stored? We need it to stay in the EU.",
            "Can we move our existing workspace to your Australian region?",
            "Our legal team asks which countries host our task data and backups. Can you tell me?",
            "Do you offer EU data residency on the Business plan?",
            "How long does it take to migrate a workspace from the US region to Frankfurt?",
            "Is there a way to check which region our workspace is in?",
        ],
        details=[
            "We're a German company, {company}, and GDPR matters a lot to us.",
            "Please send the information to {email}.",
            "Our DPO is {colleague}.",
        ],
        answer="""Enterprise workspaces choose the EU (Frankfurt), US (Northern Virginia) or
        Australia (Sydney) region, and data and backups stay there; other plans are stored in the
        US. Your region is shown in Admin > Workspace > General, and a move is scheduled through
        your customer success manager within 10 business days.""",
    ),
    topic(
        "saml-sso-setup", CATEGORY, "Set up SAML single sign-on (Okta, Entra ID, Google Workspace)",
        """
        SAML single sign-on (SSO) lets your team sign in to Orbitask with your company's identity
        provider (IdP). SSO is available on **Business and Enterprise**. Only Owners and Admins can
        configure it, and your email domain must be verified first (see *Verify your company's
        domain*).

        ## Before you start

        You need:

        - admin access to your identity provider;
        - a verified domain in **Admin > Security > Domains**;
        - your workspace slug, the part after app.orbitask.com/ in your workspace URL.

        Orbitask's service provider values:

        | Setting | Value |
        |---|---|
        | ACS (reply) URL | https://auth.orbitask.com/saml/<workspace-slug>/acs |
        | Entity ID (audience) | https://auth.orbitask.com/saml/<workspace-slug> |
        | NameID format | Email address |
        | Required attributes | email (NameID), firstName, lastName |
        | Optional attributes | department, title |
        | Signature | Responses or assertions signed with SHA-256 |

        ## Step 1: create the application in your identity provider

        ### Okta

        1. In the Okta Admin Console, go to **Applications > Browse App Catalog** and search for
           **Orbitask**. If you prefer a custom app, choose **Create App Integration > SAML 2.0**.
        2. For a custom app, enter the ACS URL as *Single sign-on URL* and the Entity ID as
           *Audience URI*. Set *Name ID format* to EmailAddress and *Application username* to
           Email.
        3. Add attribute statements firstName = user.firstName and lastName = user.lastName.
        4. Assign the app to the people or groups who should use Orbitask.
        5. Open **Sign On > View SAML setup instructions** and copy the metadata URL, or download
           the metadata XML.

        ### Microsoft Entra ID (Azure AD)

        1. In the Entra admin center, go to **Enterprise applications > New application > Create
           your own application** and choose *Integrate any other application*.
        2. Under **Single sign-on**, choose **SAML**.
        3. In *Basic SAML Configuration*, set *Identifier (Entity ID)* to the Entity ID and
           *Reply URL* to the ACS URL.
        4. In *Attributes & Claims*, make sure the Unique User Identifier is user.mail (or
           user.userprincipalname if it equals the email address) and add firstName
           (user.givenname) and lastName (user.surname).
        5. Download **Federation Metadata XML** from the *SAML Certificates* section.
        6. Assign users and groups under **Users and groups**.

        ### Google Workspace

        1. In the Google Admin console, go to **Apps > Web and mobile apps > Add app > Add custom
           SAML app**.
        2. Download the **IdP metadata** on the Google Identity Provider details page.
        3. Enter the ACS URL and Entity ID, set *Name ID format* to EMAIL and *Name ID* to Basic
           Information > Primary email.
        4. Map First name to firstName and Last name to lastName.
        5. Turn the app **ON for everyone**, or for the organizational units that need it.
           Google can take up to 24 hours to apply this.

        OneLogin and JumpCloud work the same way with a generic SAML 2.0 connector.

        ## Step 2: connect Orbitask to your identity provider

        1. In Orbitask, go to **Admin > Security > Single sign-on > Configure SAML**.
        2. Upload the metadata XML, or paste the metadata URL. Alternatively enter the IdP
           *SSO URL* and the *X.509 signing certificate* by hand.
        3. Click **Test connection**. A new window signs you in through your IdP and shows the
           attributes Orbitask received. Fix any missing attribute before going on.

        ## Step 3: roll it out

        - **Optional SSO**: people can sign in with SSO or with their password. Use this while
          you roll out.
        - **Require SSO**: everyone with an email address on your verified domains must sign in
          with SSO. Passwords stop working for them, and sessions that were not created with SSO
          end at the next page load.

        The **Owner** can always sign in with a password as a break-glass account, in case your
        IdP is unavailable. Guests and people with addresses outside your verified domains keep
        signing in with a password.

        ## Just-in-time provisioning

        When **Create accounts on first sign-in** is on, people assigned to the app in your IdP
        get an Orbitask account the first time they sign in, with the Member role. Each new
        member takes a paid seat. To also deactivate people automatically when they leave, set
        up SCIM provisioning (Enterprise).

        ## Certificates and troubleshooting

        Identity providers rotate their signing certificates, typically every one to three
        years. Upload the new certificate in **Admin > Security > Single sign-on > Certificate**
        before the old one expires; Orbitask accepts two certificates during the changeover.

        | Symptom | What to check |
        |---|---|
        | ORB-4031 SSO assertion rejected | New IdP certificate not uploaded; server clocks more than 5 minutes apart; NameID is not an email address |
        | "User not assigned" from the IdP | Assign the person or their group to the app in the IdP |
        | Signed in but the wrong workspace opens | The person belongs to several workspaces; use the workspace URL |
        | Name shows as an email address | firstName and lastName attributes are missing |

        If a test sign-in fails, the SAML tracer in **Admin > Security > Single sign-on > Recent
        attempts** shows the last 20 responses Orbitask received, with the reason each was
        rejected.
        """,
        subjects=["SAML SSO setup", "Configure SSO with Okta", "Single sign-on with Entra ID"],
        questions=[
            "How do I set up SAML single sign-on with Okta for our workspace?",
            "We use Microsoft Entra ID. What ACS URL and Entity ID do I enter for Orbitask?",
            "Which plan do we need for SSO, and where do we configure it?",
            "Can we connect Google Workspace as our identity provider for Orbitask logins?",
            "I'm the IT admin and need the SAML settings for Orbitask. Where do I find them?",
            "How do we make SSO mandatory for everyone once it's configured?",
        ],
        details=[
            "Our workspace URL is app.orbitask.com/{workspace}.",
            "I'm {full}, IT lead at {company}.",
            "You can call me on {phone} if a screen share would help.",
        ],
        answer="""SAML SSO is on Business and Enterprise: in your IdP use the ACS URL
        https://auth.orbitask.com/saml/<workspace-slug>/acs and the Entity ID
        https://auth.orbitask.com/saml/<workspace-slug> with an email NameID, then upload the IdP
        metadata in Admin > Security > Single sign-on > Configure SAML and click Test connection.
        Your domain must be verified first.""",
    ),
    topic(
        "sso-error-4031", CATEGORY, "Error ORB-4031: SSO assertion rejected",
        """
        **ORB-4031: SSO assertion rejected** means Orbitask received a SAML response from your
        identity provider but could not accept it. Nobody on SSO can sign in while this lasts;
        the workspace Owner can still sign in with a password.

        ## The three usual causes

        1. **The IdP's signing certificate changed.** Identity providers rotate certificates;
           Orbitask still has the old one. Download the new certificate (or metadata) from your
           IdP and upload it in **Admin > Security > Single sign-on > Certificate**.
        2. **Clock skew.** The clocks of your IdP and Orbitask differ by more than **5 minutes**,
           so the assertion looks expired or not yet valid. Fix the time on self-hosted IdPs
           such as ADFS or Keycloak.
        3. **Wrong NameID.** The NameID must be the user's email address.

        **Admin > Security > Single sign-on > Recent attempts** shows the exact reason for the
        last 20 rejected responses.
        """,
        subjects=["ORB-4031 when signing in with SSO", "SSO broken for everyone", "SAML assertion rejected"],
        questions=[
            "Since this morning nobody in our company can log in via SSO, everyone sees ORB-4031 SSO assertion rejected. What happened?",
            "What does ORB-4031 mean? Our Okta login to Orbitask stopped working.",
            "We renewed the certificate in Entra ID and now SSO to Orbitask fails. How do we fix it?",
            "Some users get 'SSO assertion rejected' and others don't. What should I check?",
            "Our ADFS server sends users to Orbitask but they get an assertion error. Any idea?",
            "SSO login fails with error ORB-4031 after our IdP maintenance window. Help!",
        ],
        details=[
            "We're {company}, about 300 people are blocked right now.",
            "Our ADFS server is at {ip}.",
            "Please call me on {phone}, this is urgent.",
        ],
        answer="""ORB-4031 usually means your identity provider's signing certificate changed: upload
        the new certificate in Admin > Security > Single sign-on > Certificate. Also check that the
        clocks differ by less than 5 minutes and that the NameID is the email address; the workspace
        Owner can still sign in with a password.""",
    ),
    topic(
        "scim-provisioning", CATEGORY, "Automatic user provisioning with SCIM",
        """
        SCIM 2.0 provisioning creates, updates and deactivates Orbitask accounts from your
        identity provider. It is available on **Enterprise** and works with Okta, Microsoft Entra
        ID, OneLogin and JumpCloud.

        ## Set it up

        1. Set up SAML SSO first.
        2. Go to **Admin > Security > SCIM provisioning** and click **Generate token**. Copy the
           token; it is shown once.
        3. In your IdP, enable provisioning with the base URL
           **https://api.orbitask.com/scim/v2** and the token as bearer token.
        4. Turn on create, update and deactivate, and assign people or groups.

        ## What gets synced

        - New assignments create accounts with the Member role.
        - Profile changes (name, email, department) sync within minutes.
        - Unassigned or deleted users are **deactivated**, not deleted: their tasks stay and their
          seat is freed immediately.
        - IdP groups sync as Orbitask teams.

        ## Tokens

        SCIM tokens are valid for **365 days**. An expired or regenerated token makes provisioning
        fail with **ORB-4032: SCIM token invalid**: generate a new token and paste it into your IdP.
        """,
        subjects=["SCIM provisioning", "ORB-4032 in Okta provisioning", "Automatic user deprovisioning"],
        questions=[
            "How do we set up SCIM so people are created and removed in Orbitask automatically?",
            "Okta provisioning to Orbitask fails with ORB-4032 SCIM token invalid. What do we do?",
            "What's the SCIM base URL for Orbitask, and where do I get the token?",
            "When we deprovision someone in Entra ID, do they get deleted in Orbitask, and what happens to their tasks?",
            "Our user sync stopped working after a year without any changes. Could a token have expired?",
            "Does Orbitask support SCIM on the Business plan?",
        ],
        details=[
            "I'm the identity admin at {company}.",
            "The last successful sync came from our IdP at {ip}.",
            "The person who set it up, {colleague}, left last month.",
        ],
        answer="""SCIM is on Enterprise: generate a token in Admin > Security > SCIM provisioning and
        use the base URL https://api.orbitask.com/scim/v2 in your IdP. Tokens are valid for 365
        days, so ORB-4032 means it expired or was regenerated: create a new one and paste it into
        your IdP. Removed users are deactivated, not deleted.""",
    ),
    topic(
        "domain-verification", CATEGORY, "Verify your company's domain",
        """
        Verifying a domain proves that your company owns it. It is required for SAML SSO and lets
        you manage everyone who signs up with that domain.

        1. Go to **Admin > Security > Domains > Add domain** and enter the domain (for example
           example.com).
        2. Orbitask shows a **TXT record** like `orbitask-verification=3f9c2a...`.
        3. Add the TXT record at your DNS provider for the domain itself (not a subdomain).
        4. Click **Verify**. DNS changes can take up to **72 hours** to propagate; Orbitask keeps
           checking every hour and emails you when the domain is verified.

        ## After verification

        - **Auto-join**: people who sign up with an address on the domain can join your workspace
          without an invitation (you choose whether they need an Admin's approval).
        - **Account claiming**: Admins can bring existing Orbitask accounts on the domain into
          the workspace.
        - You can require SSO for the domain.

        Keep the TXT record in place: Orbitask rechecks it every 30 days.
        """,
        subjects=["Domain verification pending", "TXT record for Orbitask", "Verify our domain"],
        questions=[
            "I added the TXT record for domain verification but Orbitask still says pending. How long does it take?",
            "How do I verify our company domain in Orbitask?",
            "What DNS record do I need to add to verify our domain?",
            "Can people with our company email join the workspace automatically without an invite?",
            "Do we need to keep the verification TXT record after the domain is verified?",
            "Our domain verification failed, we added the record to www instead of the root domain. What now?",
        ],
        details=[
            "The domain is the one in my address, {email}.",
            "Our DNS is managed by an agency, {company}.",
            "We added the record yesterday around 5pm.",
        ],
        answer="""Add the TXT record shown in Admin > Security > Domains (orbitask-verification=...)
        on the domain itself, not a subdomain, then click Verify. DNS can take up to 72 hours;
        Orbitask rechecks every hour and emails you when it's verified. Keep the record, as it is
        rechecked every 30 days.""",
    ),
    topic(
        "audit-log", CATEGORY, "The audit log",
        """
        The audit log records security and administration events: sign-ins and failed sign-ins,
        role changes, invitations, exports, integration changes, SSO and SCIM events, project
        deletion and settings changes.

        ## Availability and retention

        | Plan | Audit log | Retention |
        |---|---|---|
        | Business | Yes | 1 year |
        | Enterprise | Yes, plus streaming | 3 years |

        ## View and export

        Go to **Admin > Security > Audit log**. Filter by person, event type and date, then click
        **Export CSV** to download the filtered events (up to 100,000 rows per export).

        ## Streaming (Enterprise)

        Enterprise workspaces can stream events to a SIEM (Splunk, Datadog, Sentinel or any HTTPS
        endpoint) from **Admin > Security > Audit log > Streaming**. Events arrive within a minute.
        """,
        subjects=["Audit log export", "Who deleted this project?", "Security events history"],
        questions=[
            "Someone deleted a project yesterday. Can I find out who did it?",
            "How far back does the audit log go on the Business plan?",
            "Can I export the audit log as CSV for our compliance review?",
            "Is there a way to send Orbitask audit events to our Splunk?",
            "Where can admins see failed login attempts for our workspace?",
            "We need 3 years of audit history for ISO certification. Which plan gives us that?",
        ],
        details=[
            "The suspicious sign-ins came from {ip}.",
            "Our compliance officer is {colleague}.",
            "We're on Business with about 150 seats.",
        ],
        answer="""Admins find it in Admin > Security > Audit log, filter by person, event and date,
        and click Export CSV. Business keeps events for 1 year and Enterprise for 3 years;
        Enterprise can also stream events to a SIEM such as Splunk.""",
    ),
    topic(
        "transfer-ownership", CATEGORY, "Transfer workspace ownership",
        """
        Every workspace has exactly one Owner, who controls billing and can delete the workspace.

        1. Make sure the new Owner is already an **Admin** (Admin > Members > Change role).
        2. Go to **Admin > Members**, open the new Owner's menu (⋯) and choose **Transfer
           ownership**.
        3. Confirm with your password.

        Only the current Owner can transfer ownership. After the transfer you become an Admin.

        ## The Owner has left the company

        If the Owner can no longer sign in, another Admin can ask support to transfer ownership.
        We need a written request on company letterhead signed by an authorized person; this takes
        up to **5 business days**.
        """,
        subjects=["Change workspace owner", "Owner left the company", "Transfer ownership"],
        questions=[
            "I'm leaving the company and need to hand over our Orbitask workspace to my colleague. How?",
            "Our workspace owner left and nobody can change billing. Can you make me the owner?",
            "How do I transfer ownership of the workspace? The option is missing for my colleague.",
            "Can there be two owners of a workspace?",
            "What happens to my role after I transfer ownership to someone else?",
            "We need to change the owner of our account to our new CTO.",
        ],
        details=[
            "The new owner will be {colleague} ({colleague_email}).",
            "The previous owner was {colleague} and his account is disabled.",
            "I'm an admin, my email is {email}.",
        ],
        answer="""The current Owner goes to Admin > Members, opens the new Owner's menu (⋯) and
        chooses Transfer ownership; the new Owner must already be an Admin, and you become an
        Admin afterwards. If the Owner has left, send us a signed request on company letterhead
        and we transfer it within 5 business days.""",
    ),
    topic(
        "delete-workspace", CATEGORY, "Delete a workspace",
        """
        Only the **Owner** can delete a workspace.

        1. Export anything you want to keep (**Admin > Workspace > Export data**).
        2. Go to **Admin > Workspace > Delete workspace**.
        3. Type the workspace name and your password to confirm.

        Deleting cancels the subscription at once (no further charges; see the refund policy for
        recent payments) and removes access for everyone.

        ## Recovery window

        A deleted workspace can be restored for **60 days** by contacting support. After 60 days
        it is permanently deleted, and it disappears from our backups within a further
        **35 days**.
        """,
        subjects=["Delete our workspace", "Close company account", "Restore a deleted workspace"],
        questions=[
            "How do I permanently delete our Orbitask workspace?",
            "We accidentally deleted our workspace last week. Can it be restored?",
            "If we delete the workspace, how long until all our data is really gone?",
            "I want to shut down our workspace, we've moved to another tool. What's the process?",
            "I'm an admin but I don't see the option to delete the workspace. Why?",
            "Does deleting the workspace also stop the billing?",
        ],
        details=[
            "The workspace belonged to {company}.",
            "Our owner is {colleague}.",
            "Please confirm by email to {email}.",
        ],
        answer="""The Owner deletes it under Admin > Workspace > Delete workspace, which also cancels
        the subscription. A deleted workspace can be restored by support for 60 days; after that
        it is permanently deleted and leaves our backups within another 35 days.""",
    ),
    topic(
        "rename-workspace-url", CATEGORY, "Rename your workspace or change its URL",
        """
        Owners and Admins can rename the workspace and change its URL in
        **Admin > Workspace > General**.

        - The **name** can change at any time.
        - The **URL** (app.orbitask.com/your-slug) can change **once every 30 days**. It is 3 to
          40 characters: lowercase letters, numbers and hyphens.

        After a URL change, the old URL **redirects for 90 days**, and then becomes available to
        other workspaces. Update bookmarks, SSO settings (the ACS URL and Entity ID include the
        slug) and integrations that use the old URL.
        """,
        subjects=["Change workspace URL", "Rename workspace", "Workspace URL change not allowed"],
        questions=[
            "We rebranded. How do I change our workspace URL?",
            "It says I can't change the workspace URL again yet. How often is it allowed?",
            "If we change our workspace URL, will the old links in our documents stop working?",
            "Can I rename our workspace? We misspelled the company name.",
            "We changed the workspace URL and now SSO is broken. Is that related?",
            "What characters are allowed in the workspace URL?",
        ],
        details=[
            "The current URL is app.orbitask.com/{workspace}.",
            "We're now called {company}.",
        ],
        answer="""Change it in Admin > Workspace > General. The URL can change once every 30 days,
        and the old URL redirects for 90 days. With SSO, update the ACS URL and Entity ID in your
        identity provider, since both include the workspace slug.""",
    ),
    topic(
        "gdpr-dpa", CATEGORY, "GDPR and the Data Processing Agreement",
        """
        Orbitask processes your data as a processor under the GDPR and the UK GDPR.

        - **Data Processing Agreement (DPA)**: a pre-signed DPA with the EU Standard Contractual
          Clauses is available to Owners and Admins in **Admin > Workspace > Legal > Data
          Processing Agreement**. Download it, countersign and keep it; no need to send it back.
        - **Subprocessors**: listed at orbitask.com/legal/subprocessors. Subscribe on that page
          to get notice **30 days** before a new subprocessor is added.
        - **Data subject requests**: write to privacy@orbitask.com. We answer within **30 days**.
        - **Data location**: Enterprise workspaces can keep data in the EU (see *Data
          residency*).
        """,
        subjects=["DPA request", "GDPR documentation", "List of subprocessors"],
        questions=[
            "Our legal department needs a signed DPA with Orbitask. Where can I get it?",
            "Who are your subprocessors, and will we be told when that list changes?",
            "A former employee asked us for all data Orbitask holds about them. How do we request it?",
            "Do you have a GDPR data processing agreement with standard contractual clauses?",
            "Do we need to send the countersigned DPA back to you?",
            "How quickly do you answer data subject access requests?",
        ],
        details=[
            "Our company is {company}, based at {address}.",
            "The former employee is {colleague}.",
            "Please reply to {email}.",
        ],
        answer="""Owners and Admins can download the pre-signed DPA with the Standard Contractual
        Clauses in Admin > Workspace > Legal > Data Processing Agreement; countersign it and keep
        it. Subprocessors are listed at orbitask.com/legal/subprocessors with 30 days' notice of
        changes, and privacy@orbitask.com answers data subject requests within 30 days.""",
    ),
]
