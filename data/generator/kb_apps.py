"""Knowledge base: desktop and mobile apps, and troubleshooting."""

from .model import topic

APPS = "apps"
TROUBLESHOOTING = "troubleshooting"

TOPICS = [
    topic(
        "desktop-app-install", APPS, "Install the desktop app",
        """
        The Orbitask desktop app runs on:

        - **Windows 10 and 11** (64-bit), installer or Microsoft Store;
        - **macOS 12 Monterey or later**, Intel and Apple silicon;
        - **Linux**: Ubuntu 22.04+, Debian 12+ and Fedora 38+, as .deb, .rpm or AppImage.

        Download it from **orbitask.com/download**. Sign in with the same account as on the web.

        ## Updates

        The app updates itself in the background and applies updates on the next restart. IT
        teams can turn off auto-update and deploy with the MSI package (Windows) or the PKG
        (macOS) from **orbitask.com/download/enterprise**.

        The desktop app works offline for projects you opened recently; changes sync when you
        are back online.
        """,
        subjects=["Desktop app download", "Linux app", "Install on Windows"],
        questions=[
            "Is there a desktop app for Orbitask, and where do I download it?",
            "Do you have a Linux version of the desktop app?",
            "Our IT department wants to deploy the desktop app silently. Is there an MSI?",
            "Will the desktop app work on my old Mac with macOS 11?",
            "Does the desktop app update itself?",
            "Can I use the desktop app offline on a plane?",
        ],
        details=[
            "We manage about 200 Windows laptops at {company}.",
            "I'm on Ubuntu 22.04.",
        ],
        answer="""Download it from orbitask.com/download: it runs on Windows 10 and 11, macOS 12 or
        later, and Ubuntu 22.04+, Debian 12+ and Fedora 38+. It updates itself on restart, and IT
        teams can deploy the MSI or PKG from orbitask.com/download/enterprise.""",
    ),
    topic(
        "mobile-offline", APPS, "Mobile apps and offline mode",
        """
        Orbitask's mobile apps run on **iOS 16 or later** and **Android 10 or later**. Download
        them from the App Store or Google Play.

        ## Offline mode

        The mobile apps keep the projects you opened in the **last 14 days** available offline.
        You can read tasks, complete them, comment and create new tasks; changes sync when you're
        back online. Attachments are available offline only if you opened them before.

        ## Push notifications

        Turn push on in **Settings > Notifications > Mobile push**, and allow notifications for
        Orbitask in your phone's settings. Mobile sessions stay signed in for 90 days without
        activity.
        """,
        subjects=["Use app offline", "Mobile app requirements", "Offline projects missing"],
        questions=[
            "Can I use the Orbitask mobile app without internet?",
            "Some projects are missing when I'm offline on my phone. Which ones are kept?",
            "Which iOS version do I need for the app?",
            "My Android phone runs Android 9. Can I install Orbitask?",
            "Do tasks I complete offline sync later?",
            "Can I open attachments offline in the app?",
        ],
        details=[
            "I travel a lot for {company} and often have no signal.",
            "My phone number is {phone} if you want to text me.",
        ],
        answer="""The mobile apps need iOS 16 or later or Android 10 or later. Offline, they keep the
        projects you opened in the last 14 days: you can read, complete, comment and create tasks,
        and changes sync when you're back online.""",
    ),
    topic(
        "desktop-sync-conflict", APPS, "Error ORB-3310: Sync conflict in the desktop app",
        """
        **ORB-3310: Sync conflict** appears in the desktop app when you changed a task while
        offline and someone else changed the same task online.

        A dialog shows both versions. Choose:

        - **Keep mine**: your offline change wins;
        - **Keep theirs**: the online change wins;
        - **Keep both**: your version is saved as a copy of the task.

        If you close the dialog, the conflict waits in **Help > Sync conflicts** for **7 days**;
        after that the online version wins. Comments never conflict: both are kept.
        """,
        subjects=["ORB-3310 sync conflict", "Offline changes conflict", "Sync conflict dialog"],
        questions=[
            "The desktop app shows ORB-3310 Sync conflict after I worked offline on the train. What should I pick?",
            "What happens if I ignore the sync conflict dialog?",
            "My offline edits were replaced by someone else's changes. Can I get them back?",
            "Where can I find sync conflicts I closed without resolving?",
            "What does 'Keep both' do in the conflict dialog?",
            "Why do I get sync conflicts so often?",
        ],
        details=[
            "My colleague {colleague} edited the same task at the same time.",
            "I was offline for about three days.",
        ],
        answer="""ORB-3310 means a task changed both offline and online. Choose Keep mine, Keep theirs
        or Keep both (saves your version as a copy); closed conflicts wait in Help > Sync conflicts
        for 7 days, after which the online version wins.""",
    ),
    topic(
        "network-error", TROUBLESHOOTING, "Error ORB-8002: Can't reach Orbitask",
        """
        **ORB-8002: Can't reach Orbitask** means the app can't connect to our servers. Check
        **status.orbitask.com** first; if all systems are operational, the cause is usually a
        firewall, proxy or VPN.

        ## What to allow

        - **\\*.orbitask.com** over HTTPS, port **443**;
        - **wss://realtime.orbitask.com** on port **443** (WebSockets, for live updates).

        Proxies that inspect TLS or block WebSockets cause this error even when the web page
        loads. The desktop app uses your system proxy settings.

        Ask your network team to allow these addresses. Orbitask doesn't publish fixed IP
        addresses, so allow by domain name.
        """,
        subjects=["ORB-8002 can't connect", "Firewall blocking Orbitask", "Network error in desktop app"],
        questions=[
            "The desktop app shows ORB-8002 Can't reach Orbitask at the office, but it works at home. Why?",
            "Which domains and ports do we need to open in our firewall for Orbitask?",
            "Can you give us your IP addresses to whitelist?",
            "The web app loads but live updates never arrive behind our proxy. What's blocked?",
            "We get 'Can't reach Orbitask' through our corporate VPN. What should IT allow?",
            "What does ORB-8002 mean?",
        ],
        details=[
            "Our proxy is at {ip}, port 8080.",
            "Our network admin is {colleague}.",
            "My laptop's address on the office network is {ip6}.",
        ],
        answer="""ORB-8002 usually means a firewall or proxy blocks us. Allow *.orbitask.com over HTTPS
        and wss://realtime.orbitask.com on port 443, including WebSockets; we don't publish fixed
        IP addresses, so allow by domain name. Check status.orbitask.com first.""",
    ),
    topic(
        "emails-not-arriving", TROUBLESHOOTING, "Orbitask emails don't arrive",
        """
        If invitations, password resets or notifications don't arrive:

        1. Check the **spam or junk** folder.
        2. Ask your email administrator to allow **notifications@orbitask.com** and the sending
           domain **mail.orbitask.com**.
        3. Check **Settings > Notifications**: email may be off for that event, or you may be on
           the daily digest.

        ## Bounced addresses

        When an address bounces, Orbitask stops emailing it to protect deliverability. Admins see
        a warning next to the person in **Admin > Members** and can click **Retry email delivery**
        after the mailbox is fixed.
        """,
        subjects=["Not receiving emails", "Invitations going to spam", "No notification emails"],
        questions=[
            "None of our team receive Orbitask emails anymore. What should we check?",
            "Orbitask emails always end up in spam. Which sender should we whitelist?",
            "I never got the password reset email. Is something wrong with my account?",
            "Our mail server rejected your emails for a while. How do we get them flowing again?",
            "Why don't I get notification emails when someone comments on my task?",
            "Which domain do Orbitask emails come from?",
        ],
        details=[
            "My address is {email}.",
            "Our mail admin is {colleague}.",
        ],
        answer="""Check the spam folder and ask your email admin to allow notifications@orbitask.com
        and mail.orbitask.com. If an address bounced, an Admin can click Retry email delivery next
        to the person in Admin > Members once the mailbox is fixed.""",
    ),
    topic(
        "desktop-blank-screen", TROUBLESHOOTING, "The desktop app shows a blank or white screen",
        """
        If the desktop app opens to a blank window or stops loading:

        1. Use **Help > Troubleshooting > Clear cache and restart**. Your data is in the cloud;
           only local copies are removed.
        2. If the menu doesn't respond, hold **Shift** while starting the app to open it in
           **safe mode**, which turns off hardware acceleration.
        3. Update your graphics drivers, or turn off **Settings > Advanced > Hardware
           acceleration**.
        4. Reinstall the app from orbitask.com/download.

        Unsynced offline changes are lost when you clear the cache; open **Help > Sync
        conflicts** first if you worked offline.
        """,
        subjects=["Desktop app blank screen", "White screen on startup", "App won't load"],
        questions=[
            "The desktop app only shows a white screen since this morning. How do I fix it?",
            "Orbitask for Windows opens but stays blank. Reinstalling didn't help.",
            "How do I clear the cache of the desktop app?",
            "Will clearing the cache delete my tasks?",
            "The desktop app is frozen on a blank window and the menu doesn't work. What now?",
            "After a graphics driver update the app shows nothing. Any ideas?",
        ],
        details=[
            "I'm on Windows 11 with an external monitor.",
            "My colleague {colleague} has the same issue on macOS.",
        ],
        answer="""Use Help > Troubleshooting > Clear cache and restart; your data is in the cloud.
        If the menu doesn't respond, hold Shift while starting the app to open safe mode, which
        turns off hardware acceleration. Clearing the cache discards unsynced offline changes.""",
    ),
    topic(
        "slow-performance", TROUBLESHOOTING, "Orbitask is slow",
        """
        ## Check the basics

        - Use a supported browser: the **latest two versions** of Chrome, Firefox, Safari or Edge.
        - Turn off browser extensions that modify pages (ad blockers, grammar checkers) to test.
        - Check **status.orbitask.com** for incidents.

        ## Large projects

        Projects with more than **10,000 tasks** open in **Lite list** mode, which loads tasks
        as you scroll. Archive finished sections or split big projects to keep views fast.
        Views with many custom field columns and subtasks expanded are the slowest.

        ## Still slow?

        Use **Help > Report a performance problem**: it sends timing data (no task content) to
        our team.
        """,
        subjects=["App is very slow", "Slow loading projects", "Performance issues"],
        questions=[
            "Orbitask has become really slow to load our big project. What can we do?",
            "Which browsers do you support? Things are sluggish in our old Firefox.",
            "Our project with 15,000 tasks takes forever to open. Is there a limit?",
            "Everything is slow today for our whole team. Is there an outage?",
            "How can I report slowness to your team?",
            "Why does the list view get slow when I show all custom fields?",
        ],
        details=[
            "We're in {company}'s office, connecting from {ip}.",
            "I use Safari 15 on an older MacBook.",
        ],
        answer="""Use the latest two versions of Chrome, Firefox, Safari or Edge and check
        status.orbitask.com. Projects with more than 10,000 tasks open in Lite list mode, so
        archive finished sections or split them; Help > Report a performance problem sends us
        timing data.""",
    ),
    topic(
        "system-requirements", APPS, "System requirements",
        """
        | App | Requirement |
        |---|---|
        | Web | The latest two versions of Chrome, Firefox, Safari or Edge |
        | Windows | Windows 10 or 11, 64-bit, 4 GB RAM |
        | macOS | macOS 12 Monterey or later |
        | Linux | Ubuntu 22.04+, Debian 12+, Fedora 38+ |
        | iOS | iOS 16 or later |
        | Android | Android 10 or later |

        Network: HTTPS and WebSockets to *.orbitask.com and wss://realtime.orbitask.com on port
        443. Screen: 1280 × 720 or larger for the web and desktop apps.
        """,
    ),
    topic(
        "status-and-sla", TROUBLESHOOTING, "Service status and uptime SLA", html=True,
        body="""
        **status.orbitask.com** shows the live status of the web app, API, realtime updates,
        email, integrations and each data region. Subscribe there to email, SMS or webhook
        updates.

        ## Uptime commitment

        - **Enterprise**: a contractual **99.95% monthly uptime SLA**, with service credits of
          10% to 30% of the monthly fee when it's missed.
        - Other plans: 99.9% target, no credits.

        Scheduled maintenance is announced at least **72 hours** in advance and happens on
        Sundays between 02:00 and 04:00 UTC.
        """,
    ),
    topic(
        "accessibility", "getting-started", "Accessibility", html=True,
        body="""
        Orbitask aims to conform to **WCAG 2.2 level AA** in the web and desktop apps.

        - Every action is available from the keyboard; press **?** for the shortcut list.
        - Screen readers: tested with NVDA and JAWS on Windows and VoiceOver on macOS and iOS.
        - **Settings > Appearance** offers a high-contrast theme and reduced motion.

        Our Accessibility Conformance Report (VPAT 2.5) is available on request from
        accessibility@orbitask.com.
        """,
    ),
]
