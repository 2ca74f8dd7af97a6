"""Knowledge base: account and security (sign-in, 2FA, passwords, sessions)."""

from .model import topic

CATEGORY = "account-security"

TOPICS = [
    topic(
        "two-factor-setup", CATEGORY, "Set up two-factor authentication (2FA)",
        """
        Two-factor authentication (2FA) protects your Orbitask account with a second step after
        your password. It is available on every plan, including Free.

        ## Turn on 2FA

        1. Go to **Settings > Security > Two-factor authentication**.
        2. Click **Enable** and confirm your password.
        3. Choose a method:
           - **Authenticator app** (recommended): scan the QR code with Google Authenticator,
             Microsoft Authenticator, 1Password or any TOTP app, then type the 6-digit code.
           - **Security key**: register a FIDO2/WebAuthn key such as a YubiKey, or a passkey.
           - **SMS**: enter a mobile number and the code we text you. Use SMS only as a backup.
        4. Download or print your **10 recovery codes**. Each recovery code works once.

        ## Good to know

        - You can register several methods; Orbitask asks for your preferred one first.
        - Authenticator codes change every 30 seconds.
        - To regenerate recovery codes, go to **Settings > Security > Two-factor
          authentication > Recovery codes**. Regenerating invalidates the old codes.
        - Admins can make 2FA mandatory for the whole workspace (see *Require two-factor
          authentication for your workspace*).
        """,
        subjects=["Enable 2FA", "Two-factor authentication setup", "How to turn on 2-step verification"],
        questions=[
            "How do I turn on two-factor authentication for my Orbitask account?",
            "I'd like to add 2FA to my login. Where is that setting hiding?",
            "Our security team wants everyone on an authenticator app. How do I set that up for my own account?",
            "Is there a way to protect my account with a second factor, like a code from my phone?",
            "Where can I enable 2-step verification? I looked through my profile and couldn't find it.",
            "Can I log into Orbitask with a YubiKey or an authenticator app, and how do I switch that on?",
        ],
        details=[
            "My account email is {email}.",
            "I'd rather not use SMS, my number {phone} changes when I travel.",
            "I'm using the web app in Chrome on Windows.",
        ],
        answer="""You can turn it on under Settings > Security > Two-factor authentication: click
        Enable, pick an authenticator app (recommended), a security key or SMS, and confirm with
        the 6-digit code. Please save the 10 recovery codes shown at the end; each one works once.""",
    ),
    topic(
        "two-factor-lost-device", CATEGORY, "Lost your phone or 2FA device",
        """
        If you no longer have the phone or key you use for two-factor authentication, you can
        still get back into your account.

        ## Use a recovery code

        On the two-factor step of sign-in, click **Use a recovery code** and enter one of the 10
        recovery codes you saved when you turned on 2FA. Once you are in, go to
        **Settings > Security > Two-factor authentication** to register your new device and
        generate fresh recovery codes.

        ## No recovery codes?

        - **Ask an Owner or Admin of your workspace** to reset your two-factor authentication:
          **Admin > Members > (your name) > Reset two-factor**. You can then sign in with your
          password and set 2FA up again.
        - **If you are the only Owner**, contact support from the sign-in page
          (**Can't sign in? > Contact support**). We verify your identity before resetting 2FA,
          which takes up to 3 business days.

        For your safety, support never resets 2FA based on an email alone.
        """,
        subjects=["Lost phone, can't log in", "2FA device lost", "Locked out after changing phones"],
        questions=[
            "I lost my phone and with it my authenticator app. How do I get back into Orbitask?",
            "My old phone died and the 2FA codes were on it. What are my options to log in now?",
            "I got a new phone and didn't move the authenticator over. I can't get past the verification step. Help?",
            "Is there any way to sign in without my two-factor device? It was stolen last week.",
            "I reset my phone to factory settings and now I can't produce the login code for Orbitask. What should I do?",
            "I switched phones and my authenticator app came up empty, so I'm stuck on the code screen. How can I recover my account?",
        ],
        details=[
            "The account is {email}.",
            "I'm the only owner of our workspace, so there's nobody to reset it for me.",
            "My colleague {colleague} is an admin on our workspace if that helps.",
            "You can reach me on {phone} to verify it's me.",
        ],
        answer="""On the code screen, click Use a recovery code and enter one of the 10 recovery
        codes you saved. Without codes, an Owner or Admin can reset it under Admin > Members >
        (your name) > Reset two-factor; if you are the only Owner, contact support from the
        sign-in page and we verify your identity within 3 business days.""",
    ),
    topic(
        "reset-password", CATEGORY, "Reset your password",
        """
        ## Reset a forgotten password

        1. On the sign-in page, click **Forgot password?**
        2. Enter the email address of your Orbitask account.
        3. Open the email from notifications@orbitask.com and click the reset link. The link is
           valid for **60 minutes** and works once.
        4. Choose a new password of at least 12 characters.

        Resetting your password signs you out of all other sessions and unlocks an account that
        was locked after too many attempts.

        ## Signing in with SSO?

        If your workspace uses single sign-on (SAML), your password is managed by your company's
        identity provider (Okta, Microsoft Entra ID, Google Workspace...). Orbitask cannot reset
        it: use your company's password reset or ask your IT team.

        ## The email doesn't arrive

        Check your spam folder and make sure notifications@orbitask.com is allowed. Reset emails
        are only sent to addresses that have an Orbitask account.
        """,
        subjects=["Forgot password", "Password reset", "Can't remember my password"],
        questions=[
            "I forgot my password. How do I reset it?",
            "I can't remember the password for my Orbitask login, what's the process to set a new one?",
            "The password reset link you sent me says it's expired. How long is it valid for?",
            "How can I change my password if I don't know the current one?",
            "I clicked the reset email an hour and a half later and it no longer works. What do I do?",
            "Need to reset my password, I've tried everything I can think of.",
        ],
        details=[
            "My login is {email}.",
            "I'm writing from my personal address, my work login is {colleague_email}.",
            "We don't use SSO as far as I know.",
        ],
        answer="""Click Forgot password? on the sign-in page and open the email from
        notifications@orbitask.com: the reset link is valid for 60 minutes and works once, so
        request a new one if it has expired. If your workspace uses SSO, reset the password with
        your company's identity provider instead.""",
    ),
    topic(
        "change-email", CATEGORY, "Change the email address of your account",
        """
        You can change the email address you sign in with at any time.

        1. Go to **Settings > Profile > Email address**.
        2. Enter the new address and your current password.
        3. We send a confirmation link to the **new** address. The link is valid for
           **24 hours**. Your old address keeps working until you click it.

        After the change, notifications go to the new address and your old address receives a
        notice, so that you can react if you did not make the change.

        ## Addresses managed by your company

        If your workspace uses SAML SSO or SCIM provisioning, your email address is managed by
        your identity provider and the field is read-only in Orbitask. Ask your IT team to change
        it there; the change reaches Orbitask at your next sign-in.
        """,
        subjects=["Change login email", "Update my email address", "New email address for my account"],
        questions=[
            "How do I change the email address I use to log in?",
            "Our company changed its domain and I need my Orbitask account on the new address. How?",
            "I want to switch my account from my personal email to my work email. Is that possible?",
            "The email field on my profile is greyed out. How can I update my address?",
            "I changed my email in settings but nothing happened. How long is the confirmation link good for?",
            "Can I move my account to a different email without losing my tasks?",
        ],
        details=[
            "The old address is {email} and the new one is {colleague_email}.",
            "My current login is {email}.",
            "We moved offices to {address} and got new domains at the same time.",
        ],
        answer="""Go to Settings > Profile > Email address, enter the new address and your
        password, then click the confirmation link we send to the new address within 24 hours.
        If the field is read-only, your workspace uses SSO or SCIM and your IT team changes the
        address in the identity provider.""",
    ),
    topic(
        "account-locked", CATEGORY, "Account temporarily locked (ORB-1107)",
        """
        To protect you from password-guessing attacks, Orbitask locks an account after
        **10 failed sign-in attempts within 15 minutes**. The sign-in page then shows
        **ORB-1107: Account temporarily locked**.

        ## Unlock it

        - **Wait 15 minutes**: the lock lifts by itself.
        - **Or reset your password** from the sign-in page (**Forgot password?**). A successful
          reset unlocks the account at once.

        ## Why did this happen?

        Often a password manager or an old phone keeps trying an outdated password. If you did
        not make the attempts, reset your password and turn on two-factor authentication. Admins
        on Business and Enterprise can see failed sign-ins in the audit log.
        """,
        subjects=["ORB-1107 account locked", "Locked out of my account", "Too many login attempts"],
        questions=[
            "I'm getting ORB-1107 Account temporarily locked when I log in. How long does that last?",
            "My account got locked after I typed the wrong password a few times. How do I unlock it?",
            "It says my account is temporarily locked. I need access now, is there a faster way than waiting?",
            "Why does Orbitask keep locking my account? I only tried to log in a couple of times.",
            "Locked out with error ORB-1107. What triggers that and how do I get back in?",
            "I think someone is trying to get into my account, it keeps getting locked. What should I do?",
        ],
        details=[
            "The attempts came from {ip}, which isn't our office.",
            "My username is {email}.",
            "I have an old tablet that might still have my previous password saved.",
        ],
        answer="""ORB-1107 appears after 10 failed sign-in attempts within 15 minutes. The lock
        lifts by itself after 15 minutes, or at once if you reset your password with Forgot
        password? on the sign-in page. If you didn't make those attempts, reset the password and
        turn on two-factor authentication.""",
    ),
    topic(
        "active-sessions", CATEGORY, "See and end your active sessions",
        """
        Every browser, desktop app and phone where you are signed in is a session.

        ## See your sessions

        Go to **Settings > Security > Active sessions**. Each row shows the device, the app, the
        approximate location, the IP address and when it was last active.

        ## Sign out elsewhere

        - Click **Sign out** next to one session, or
        - click **Sign out of all other sessions** to end every session except the one you are
          using.

        ## How long sessions last

        - Web and desktop sessions expire after **30 days** without activity.
        - Mobile sessions expire after **90 days** without activity.
        - Changing or resetting your password ends all other sessions.
        """,
        subjects=["Sign out of other devices", "Unknown session in my account", "Log out everywhere"],
        questions=[
            "I logged in on a shared computer at a conference and forgot to sign out. Can I log it out remotely?",
            "How can I see which devices are logged into my Orbitask account?",
            "There's a session in my account from a location I don't recognize. How do I kick it out?",
            "Is there a way to sign out of Orbitask on all my other devices at once?",
            "How long does Orbitask keep me logged in on my laptop and my phone?",
            "My old work laptop was returned to IT but is still signed in to Orbitask. How do I end that session?",
        ],
        details=[
            "The session I don't recognise shows the IP {ip}.",
            "One of them shows an IPv6 address, {ip6}, which I don't know.",
            "My account is {email}.",
        ],
        answer="""Open Settings > Security > Active sessions to see every device with its IP and
        last activity, then click Sign out next to one or Sign out of all other sessions.
        Web and desktop sessions expire after 30 days without activity, mobile ones after 90
        days.""",
    ),
    topic(
        "delete-account", CATEGORY, "Delete your Orbitask account",
        """
        Deleting your account removes your profile and signs you out everywhere. Tasks and
        comments you created stay in your workspaces, shown as created by a *Deleted user*.

        ## Before you start

        - If you are the **Owner** of a workspace, transfer ownership first (**Admin > Members >
          (member) > Transfer ownership**) or delete the workspace.
        - If your account is managed by your company's SSO or SCIM, ask your IT team instead.

        ## Delete the account

        1. Go to **Settings > Account > Delete account**.
        2. Type your password and confirm.

        You have **30 days** to change your mind: signing in during that time cancels the
        deletion. After 30 days the account is permanently deleted.
        """,
        subjects=["Delete my account", "Close my Orbitask account", "Remove my profile"],
        questions=[
            "How do I delete my Orbitask account completely?",
            "I don't use Orbitask anymore and want my account removed. Where do I do that?",
            "I tried to delete my account but it says I need to transfer ownership first. What does that mean?",
            "If I delete my account, what happens to the tasks I created in our team's workspace?",
            "Please close my account, I've left the company that used Orbitask.",
            "Can I undo deleting my account if I change my mind?",
        ],
        details=[
            "The account is registered to {email}.",
            "Please don't call me on {phone}, email is fine.",
            "I'm the owner of a small workspace for my band, nobody else uses it anymore.",
        ],
        answer="""Go to Settings > Account > Delete account and confirm with your password. If you
        own a workspace, transfer ownership first under Admin > Members > (member) > Transfer
        ownership. Signing in within 30 days cancels the deletion; after that the account is gone
        for good.""",
    ),
    topic(
        "session-expired", CATEGORY, "Error ORB-1001: Session expired",
        """
        **ORB-1001: Session expired** means Orbitask signed you out and you need to sign in
        again.

        ## Why it happens

        - Your session ended after **30 days** without activity (90 days on mobile).
        - Your password was changed or reset, which ends all other sessions.
        - An Admin removed you from the workspace or required SSO.

        ## It keeps happening every few minutes

        1. Allow cookies for **app.orbitask.com** (private browsing and some privacy extensions
           block them).
        2. Make sure your computer's clock is set automatically: a clock that is far off makes
           sessions look expired.
        3. In the desktop app, use **Help > Troubleshooting > Clear cache and restart**.
        """,
        subjects=["ORB-1001 session expired", "Keeps logging me out", "Session expired error"],
        questions=[
            "Orbitask keeps logging me out with ORB-1001 Session expired, sometimes every five minutes. Why?",
            "I get 'Session expired' every morning when I open the app. Is that normal?",
            "What does error ORB-1001 mean? It pops up and sends me back to the login page.",
            "I'm constantly being signed out of the web app. How can I stop that?",
            "Every time I switch tabs I'm asked to sign in again, with ORB-1001. What's going on?",
            "Why would my session expire when I was just using it a minute ago?",
        ],
        details=[
            "I use Firefox with a few privacy extensions.",
            "I'm working from {ip} through our company VPN.",
            "My colleague {colleague} has the same problem on her laptop.",
        ],
        answer="""ORB-1001 means your session ended: after 30 days without activity, or because
        your password was changed. If it repeats every few minutes, allow cookies for
        app.orbitask.com and make sure your computer's clock is set automatically.""",
    ),
    topic(
        "invalid-2fa-code", CATEGORY, "Error ORB-1002: Invalid verification code",
        """
        **ORB-1002: Invalid verification code** appears at the two-factor step of sign-in when
        the 6-digit code is wrong or has expired.

        ## Fix it

        1. Use the **newest** code: authenticator codes change every **30 seconds**.
        2. Set your phone's date and time to **automatic**. Authenticator apps compute codes from
           the clock; a phone that is a minute or two off produces codes Orbitask rejects.
        3. Check that you are reading the Orbitask entry of your authenticator app (and the right
           account, if you have several).
        4. Still failing? Click **Use a recovery code** and enter one of your recovery codes, then
           set up 2FA again in **Settings > Security > Two-factor authentication**.

        SMS codes are valid for 10 minutes; request a new one if it arrives late.
        """,
        subjects=["ORB-1002 invalid code", "2FA code not accepted", "Verification code rejected"],
        questions=[
            "My authenticator code is always rejected with ORB-1002 Invalid verification code. I'm typing it correctly!",
            "Why does Orbitask say my 2FA code is invalid when I just copied it from the app?",
            "The six-digit code from Google Authenticator doesn't work for Orbitask anymore. What could be wrong?",
            "I keep getting 'Invalid verification code' at login. Is something broken on your side?",
            "Two-factor codes stopped working after I came back from a trip abroad. How do I fix this?",
            "ORB-1002 every time I try to log in, what does that mean?",
        ],
        details=[
            "My phone is set to manual time because of an old alarm app.",
            "The account is {email}.",
            "I have two Orbitask accounts in the app, personal and work.",
        ],
        answer="""ORB-1002 means the 6-digit code was wrong or expired. Codes change every 30
        seconds and are computed from your phone's clock, so set the phone's date and time to
        automatic and use the newest code. If it still fails, sign in with a recovery code and set
        up 2FA again.""",
    ),
]
