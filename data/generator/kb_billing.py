"""Knowledge base: billing, plans, payments, invoices and taxes."""

from .model import topic

CATEGORY = "billing"

TOPICS = [
    topic(
        "refund-policy", CATEGORY, "Refunds and the 14-day money-back guarantee",
        """
        ## Our refund policy

        If you ask for a refund within **14 days of a charge**, we refund that charge in full,
        for monthly and annual plans alike. After 14 days we do not refund, but you can cancel so
        that the plan does not renew.

        ## Request a refund

        1. Go to **Admin > Billing > Invoices**.
        2. Open the invoice and click **Request refund**.
        3. Tell us the reason (optional) and confirm.

        Only the Owner and Admins with billing access can request refunds. Refunds go back to the
        **original payment method** and appear within **5 to 10 business days**, depending on
        your bank. We cannot refund to a different card or bank account.

        When a refund is issued for your current subscription, the workspace moves to the Free
        plan at once.

        ## Not covered

        - Charges older than 14 days.
        - Seats added during a billing period and later removed: those become a credit on your
          next invoice (see *Adding and removing seats*).
        """,
        subjects=["Refund request", "Can I get my money back?", "Refund for annual plan"],
        questions=[
            "I upgraded to the annual Pro plan by mistake yesterday. Can I get a refund?",
            "What's your refund policy? We were charged for a renewal we didn't want.",
            "How do I request a refund for our last invoice?",
            "We got charged 3 weeks ago for the yearly plan but never used it. Is a refund still possible?",
            "How long does it take for a refund to show up on my card?",
            "Can you refund the monthly charge from last Tuesday? We decided to go with another tool.",
        ],
        details=[
            "The charge was on the card {card}.",
            "Could you send the refund to our account {iban} instead of the card?",
            "The workspace is app.orbitask.com/{workspace}.",
            "Our billing contact is {colleague} ({colleague_email}).",
        ],
        answer="""We refund any charge in full if you ask within 14 days of it: open Admin > Billing
        > Invoices, select the invoice and click Request refund. Refunds go back to the original
        payment method only and appear within 5 to 10 business days; after 14 days we can't
        refund, but you can cancel so the plan doesn't renew.""",
    ),
    topic(
        "double-charge", CATEGORY, "I was charged twice",
        """
        ## A pending authorization, not a second charge

        When you upgrade or change your card, your bank may show a **temporary authorization**
        next to the real charge. It is not collected and disappears within **3 to 5 business
        days**, depending on your bank.

        ## Two charges that both settled

        Compare them with **Admin > Billing > Invoices**: every real charge has an invoice.

        - Two invoices for **two workspaces**: check whether you pay for a second workspace (the
          workspace menu lists all workspaces you belong to).
        - Two invoices for **the same period and workspace**: this is a duplicate. Contact
          support with both invoice numbers; we refund the duplicate within **5 business days**.

        Never send a full card number by email or chat: the invoice number is all we need.
        """,
        subjects=["Charged twice", "Double charge on my card", "Duplicate payment"],
        questions=[
            "My card {card} was charged twice for the same month. Can you fix that?",
            "I see two identical Orbitask charges on my bank statement this month. Why?",
            "We were billed twice when we upgraded to Business. Is the second one a mistake?",
            "There's a second pending charge from Orbitask after I updated my card. Will it go through?",
            "Why did Orbitask take the payment twice? Please refund one of them.",
            "Our finance team found a duplicate charge from you on the credit card ending in the numbers below.",
        ],
        details=[
            "The card number is {card}.",
            "Both charges were on {card}, the same amount each.",
            "The statement is addressed to {full}, {address}.",
        ],
        answer="""A second line is usually a temporary authorization that disappears within 3 to 5
        business days. If both charges settled, check Admin > Billing > Invoices and send us both
        invoice numbers; we refund the duplicate within 5 business days. Please don't send full
        card numbers, the invoice number is all we need.""",
    ),
    topic(
        "invoices", CATEGORY, "Download and correct invoices",
        """
        ## Find your invoices

        Go to **Admin > Billing > Invoices**. Each invoice can be downloaded as a PDF. Invoices
        are also emailed to the billing contact when they are issued.

        ## Billing details on invoices

        Company name, billing address, VAT ID and billing contact are set in **Admin > Billing >
        Billing details**. Changes apply to **future** invoices.

        ## Correct a past invoice

        Invoices from the last **90 days** can be reissued with your current billing details:
        open the invoice and click **Reissue**. For older invoices, contact support.

        ## Who can see invoices

        The Owner and Admins with billing access. To send invoices to your accounts payable team
        without giving them access, add their address as billing contact (up to 3 addresses).
        """,
        subjects=["Invoice needed", "Wrong company name on invoice", "Where are my invoices?"],
        questions=[
            "Where can I download our invoices as PDF?",
            "Our invoice shows the old company name. Can you issue a corrected one?",
            "Our accountant needs every invoice emailed to her automatically. Can we set that up?",
            "I need an invoice from two months ago with our new billing address on it.",
            "How do I get an invoice for our last payment? I'm not the workspace owner.",
            "Can you resend last year's invoices? We need them for an audit.",
        ],
        details=[
            "The new address is {address}.",
            "Our accountant is {colleague}, {colleague_email}.",
            "The company is {company}.",
        ],
        answer="""Invoices are in Admin > Billing > Invoices as PDFs for the Owner and billing
        Admins. Update your details in Admin > Billing > Billing details; invoices from the last 90
        days can then be reissued with the Reissue button. You can add up to 3 billing contacts
        who receive every invoice by email.""",
    ),
    topic(
        "billing-address", CATEGORY, "Change your billing address and billing contact",
        """
        Owners and billing Admins can change billing information in **Admin > Billing > Billing
        details**:

        - company name and billing address;
        - VAT ID or other tax ID;
        - up to **3 billing contacts**, who receive invoices and payment reminders.

        Changes apply to future invoices. Your billing address also determines the sales tax or
        VAT we charge; a change of country can change the tax on your next invoice.

        The card's own billing address is separate: it is stored with the payment method in
        **Admin > Billing > Payment method**.
        """,
        subjects=["Update billing address", "We moved offices", "Change billing contact"],
        questions=[
            "We moved offices. How do I update the billing address on our account?",
            "How do I change who receives our invoices? The old contact left.",
            "Our invoices still show our previous address, where do I change it?",
            "Can I add our finance team as billing contacts?",
            "I need to update the company address for billing purposes, please.",
            "Where do I put our new address so it shows on future invoices?",
        ],
        details=[
            "The new address is {address}.",
            "Please add {colleague_email} as billing contact.",
            "Our old contact was {colleague}.",
        ],
        answer="""Go to Admin > Billing > Billing details to change the company name, billing
        address, tax ID and up to 3 billing contacts. Changes apply to future invoices, and the
        card's own address is updated separately under Admin > Billing > Payment method.""",
    ),
    topic(
        "payment-methods", CATEGORY, "Payment methods",
        """
        ## Accepted payment methods

        - **Cards**: Visa, Mastercard and American Express.
        - **PayPal**.
        - **SEPA Direct Debit** (EUR) and **ACH** (USD) for annual plans.
        - **Bank transfer against invoice** on Enterprise.

        ## Change the payment method

        Go to **Admin > Billing > Payment method > Replace**. The new method is used from the next
        charge. If a payment failed, updating the method retries it at once.

        We never store full card numbers ourselves: payments are processed by our PCI DSS Level 1
        payment provider. Support can't take card details by email or phone.
        """,
        subjects=["Update credit card", "Pay with PayPal?", "Change payment method"],
        questions=[
            "How do I replace the credit card on our account? The old one expires this month.",
            "Do you accept PayPal or only credit cards?",
            "Can I just give you my new card number {card} over email so you can update it?",
            "We'd like to pay by bank transfer. Is that possible?",
            "Which cards do you accept? Our corporate card is an Amex.",
            "Where do I change the payment method for our subscription?",
        ],
        details=[
            "The current card is {card}.",
            "My phone number for verification is {phone}.",
            "We're a US company and prefer ACH.",
        ],
        answer="""Replace it under Admin > Billing > Payment method > Replace; it's used from the
        next charge. We accept Visa, Mastercard, American Express and PayPal, plus SEPA Direct Debit
        and ACH on annual plans. For your safety support can't take card numbers by email, so
        please enter them only on that page.""",
    ),
    topic(
        "failed-payment", CATEGORY, "Failed payments (ORB-6001) and read-only workspaces",
        """
        When a renewal or upgrade charge fails, Orbitask shows **ORB-6001: Payment declined** to
        the Owner and billing Admins and emails the billing contacts.

        ## What happens next

        1. We retry the charge **3 times over 10 days**.
        2. If all retries fail, the workspace becomes **read-only**: everyone can still see and
           export data, but nobody can create or edit tasks.
        3. Nothing is deleted. Updating the payment method restores full access at once.

        ## Fix it

        Go to **Admin > Billing > Payment method**, replace the card or choose PayPal. The
        outstanding invoice is charged immediately.

        Common reasons for declines: an expired card, a card limit, 3-D Secure not completed, or a
        bank that blocks foreign transactions.
        """,
        subjects=["ORB-6001 payment declined", "Workspace is read-only", "Payment failed"],
        questions=[
            "Our workspace suddenly became read-only. Is this because of a failed payment?",
            "I got an email saying ORB-6001 Payment declined. What happens if I don't fix it right away?",
            "Our renewal payment failed because the card expired. How do I pay now?",
            "Will we lose our data if the payment fails?",
            "The payment keeps getting declined even though the card works elsewhere. What can I do?",
            "How many times do you retry a failed payment before something happens to our account?",
        ],
        details=[
            "The card on file is {card} and it expired last month.",
            "Our bank in the UK, account {iban}, may be blocking foreign charges.",
            "I'm the owner, {full}.",
        ],
        answer="""We retry a declined payment (ORB-6001) 3 times over 10 days; after that the workspace
        turns read-only, but nothing is deleted. Update the card or choose PayPal in Admin >
        Billing > Payment method and the open invoice is charged at once, restoring full
        access.""",
    ),
    topic(
        "cancel-subscription", CATEGORY, "Cancel your subscription",
        """
        The Owner or a billing Admin can cancel at any time.

        1. Go to **Admin > Billing > Plan**.
        2. Click **Cancel plan** and follow the steps.

        Your paid plan stays active until the **end of the current billing period**; then the
        workspace moves to the Free plan. There are no cancellation fees.

        ## What happens to your data

        Nothing is deleted. If you have more than the Free plan's 3 active projects, the extra
        projects become read-only until you archive some or upgrade again. Paid features such as
        the timeline, automations and guests stop working.

        Cancelling does not refund past charges; see the 14-day refund policy. To delete all data,
        delete the workspace instead.
        """,
        subjects=["Cancel subscription", "Stop auto-renewal", "Downgrade to free"],
        questions=[
            "How do I cancel our Orbitask subscription?",
            "If I cancel now, do we lose access immediately or at the end of the month?",
            "I want to stop the automatic renewal of our annual plan. Where do I do that?",
            "We're cancelling. Will our projects be deleted?",
            "Is there a cancellation fee if we stop our plan mid-year?",
            "Please cancel our plan, we no longer need the paid features.",
        ],
        details=[
            "The subscription is paid with {card}.",
            "Our workspace is app.orbitask.com/{workspace}.",
            "Contact me at {email} if you need anything.",
        ],
        answer="""Go to Admin > Billing > Plan and click Cancel plan. Your paid plan stays active
        until the end of the current billing period, then the workspace moves to Free with no fees
        and nothing deleted; projects beyond the 3 active projects of Free become read-only.""",
    ),
    topic(
        "change-plan", CATEGORY, "Upgrade or downgrade your plan",
        """
        Change plans in **Admin > Billing > Plan > Change plan**.

        - **Upgrades** take effect **immediately**. You pay the prorated difference for the rest
          of the current billing period.
        - **Downgrades** take effect at the **end of the current billing period**. Features of the
          higher plan stay until then.
        - Switching from **monthly to annual** billing takes effect immediately with a prorated
          credit for the unused monthly period; from annual to monthly takes effect at renewal.

        Before a downgrade, Orbitask lists what will stop working, for example SSO when leaving
        Business or guests when leaving Pro.
        """,
        subjects=["Upgrade to Business", "Downgrade plan", "Switch to annual billing"],
        questions=[
            "If we upgrade from Pro to Business in the middle of the month, how is that billed?",
            "When does a downgrade take effect? We want to move from Business to Pro.",
            "Can we switch from monthly to annual billing now and get credit for this month?",
            "How do I upgrade our plan? I can't find the button.",
            "What happens to SSO if we downgrade from Business?",
            "Do we pay the full price if we upgrade a week before renewal?",
        ],
        details=[
            "We have 34 seats today.",
            "I'm the owner, {full}, reachable at {phone}.",
        ],
        answer="""Use Admin > Billing > Plan > Change plan. Upgrades take effect immediately and you
        pay the prorated difference for the rest of the period; downgrades take effect at the end
        of the current billing period, and Orbitask lists what will stop working first.""",
    ),
    topic(
        "add-seats", CATEGORY, "Adding and removing seats",
        """
        On paid plans, every Member and Admin is a **seat**. Guests are free within your guest
        allowance.

        - **Adding** a member adds a seat right away, charged **prorated** for the rest of the
          billing period.
        - **Removing** a member frees the seat. Unused paid time becomes a **credit on your next
          invoice**; it is not refunded in cash.
        - Deactivated members (for example by SCIM) free their seat immediately.

        See and manage seats in **Admin > Billing > Plan**. On annual plans you can buy a block of
        seats up front so that new members don't create prorated charges.
        """,
        subjects=["Extra charge after adding users", "Remove seats", "How seats are billed"],
        questions=[
            "We added five people last week and got an extra charge. How are new seats billed?",
            "If I remove members, do we get money back for the unused time?",
            "Do guests count as paid seats?",
            "How do I reduce the number of seats we pay for?",
            "Why did our invoice go up in the middle of the year?",
            "Can we pre-buy seats for people joining next quarter?",
        ],
        details=[
            "The extra charge went to {card}.",
            "One of the people we removed is {colleague}.",
        ],
        answer="""New members add a seat right away, charged prorated for the rest of the billing
        period. Removing someone frees the seat, and the unused time becomes a credit on your next
        invoice rather than a cash refund. Guests are free within your guest allowance.""",
    ),
    topic(
        "vat-id", CATEGORY, "VAT and tax IDs (ORB-6004)",
        """
        Orbitask charges VAT or sales tax based on your billing address.

        ## EU businesses

        Add your VAT ID in **Admin > Billing > Billing details**. We validate it against the EU
        **VIES** service. With a valid VAT ID, invoices use the **reverse charge** mechanism and
        show 0% VAT.

        If validation fails you see **ORB-6004: Invalid VAT ID**. Enter the ID with its country
        prefix and no spaces (for example DE123456789 or FR12345678901). VIES is sometimes
        unavailable for one country; try again a few hours later.

        ## UK, Switzerland, Norway, Australia and others

        Enter your local tax ID in the same field; it is printed on invoices.

        Adding a VAT ID does not change past invoices, but invoices from the last 90 days can be
        reissued (see *Download and correct invoices*).
        """,
        subjects=["VAT ID rejected", "Reverse charge VAT", "ORB-6004"],
        questions=[
            "Our VAT number is rejected with ORB-6004 Invalid VAT ID, but it's definitely valid. What's wrong?",
            "We're a business in France, why are you charging us VAT?",
            "Where do I enter our VAT ID so invoices use reverse charge?",
            "How should I format the VAT number? With or without the country code?",
            "Can you remove the VAT from last month's invoice now that we've added our VAT ID?",
            "Your system won't accept our Spanish tax ID. Any tips?",
        ],
        details=[
            "Our company is {company}, registered at {address}.",
            "The invoice was sent to {email}.",
        ],
        answer="""Add the VAT ID in Admin > Billing > Billing details with its country prefix and no
        spaces, for example DE123456789; it is checked against the EU VIES service, and a valid ID
        gives reverse-charge invoices with 0% VAT. Invoices from the last 90 days can then be
        reissued.""",
    ),
    topic(
        "sepa-direct-debit", CATEGORY, "Pay by SEPA Direct Debit",
        """
        Workspaces billed in **EUR** on an **annual plan** can pay by SEPA Direct Debit.

        1. Go to **Admin > Billing > Payment method > Replace**.
        2. Choose **SEPA Direct Debit**.
        3. Enter the account holder's name and the IBAN, and accept the mandate.

        The first debit happens at your next renewal or immediately for a new annual plan. Debits
        take up to **5 business days** to clear. The mandate reference is printed on every
        invoice.

        For your security, please don't send bank details to support by email: enter them only
        on the payment page.
        """,
        subjects=["SEPA direct debit", "Pay from our bank account", "Direct debit mandate"],
        questions=[
            "Can we pay by SEPA direct debit from our company account {iban}?",
            "We'd like the annual fee debited directly from our bank account. How?",
            "Is direct debit available for monthly plans too?",
            "I want to switch from credit card to SEPA. Here is our IBAN: {iban}.",
            "How long does a SEPA debit take to clear?",
            "Where do I find our SEPA mandate reference?",
        ],
        details=[
            "The account holder is {company}.",
            "Our IBAN is {iban}, at a bank in Germany.",
            "The finance contact is {colleague}, phone {phone}.",
        ],
        answer="""SEPA Direct Debit is available for annual plans billed in EUR: go to Admin >
        Billing > Payment method > Replace, choose SEPA Direct Debit and enter the account holder
        and IBAN there. Debits take up to 5 business days to clear; please don't send bank details
        to support by email.""",
    ),
    topic(
        "us-tax-exemption", CATEGORY, "US sales tax, exemption certificates and W-9",
        """
        For US customers, Orbitask charges sales tax where required, based on the billing address.

        ## Tax-exempt organizations

        Upload your exemption certificate in **Admin > Billing > Tax documents > Upload
        exemption certificate**. We review it within **2 business days**; approved exemptions
        apply to future invoices.

        ## Orbitask's W-9

        Download Orbitask Labs' W-9 form from **Admin > Billing > Tax documents**.

        ## We never need your Social Security number

        Orbitask does not need anyone's Social Security number or personal tax ID to bill you or
        to exempt you from sales tax. Please do not send SSNs by email or in tickets.
        """,
        subjects=["Sales tax exemption", "W-9 request", "Tax exempt status"],
        questions=[
            "We're a tax-exempt school district. How do we stop being charged sales tax?",
            "Do you need my SSN {ssn} to set up billing for my one-person business?",
            "Can you send us Orbitask's W-9 form for our vendor onboarding?",
            "I'm a freelancer, here is my SSN {ssn} for your tax records. Do you need anything else?",
            "How long does it take to approve our exemption certificate?",
            "Why is sales tax on my invoice? We're a nonprofit in Texas.",
        ],
        details=[
            "My social security number is {ssn}, in case you need it for the 1099.",
            "We're located at {address}.",
            "Our accounts payable contact is {colleague_email}.",
        ],
        answer="""Upload your exemption certificate in Admin > Billing > Tax documents; we review it
        within 2 business days and it applies to future invoices. Orbitask's W-9 is on the same
        page. We never need a Social Security number, so please don't send SSNs in tickets.""",
    ),
    topic(
        "nonprofit-discount", CATEGORY, "Nonprofit discount",
        """
        Registered nonprofit organizations get **50% off** the **Pro and Business** plans on
        annual billing.

        ## Apply

        1. Fill in the form at **orbitask.com/nonprofit** with your workspace URL.
        2. Attach proof of nonprofit status (for example a 501(c)(3) letter, a charity
           registration number or your country's equivalent).

        We verify applications within **5 business days**. The discount applies from your next
        invoice; it does not apply retroactively.

        Schools and universities: see *Education pricing*.
        """,
        subjects=["Nonprofit pricing", "Charity discount", "Discount for NGOs"],
        questions=[
            "Do you offer a discount for registered charities?",
            "We're a small nonprofit. How do we apply for reduced pricing?",
            "Is the nonprofit discount also valid on the monthly plan?",
            "How long does it take to verify our nonprofit status?",
            "We applied for the nonprofit discount but our latest invoice is still full price. Why?",
            "What proof do you need for the NGO discount?",
        ],
        details=[
            "We're {company}, based at {address}.",
            "Our treasurer is {colleague}.",
        ],
        answer="""Registered nonprofits get 50% off Pro and Business on annual billing. Apply at
        orbitask.com/nonprofit with your workspace URL and proof of status; we verify within 5
        business days and the discount applies from your next invoice, not retroactively.""",
    ),
    topic(
        "free-trial", CATEGORY, "The 21-day Pro trial",
        """
        Every new workspace gets a **21-day free trial of Pro**, with no card required.

        - During the trial you can use every Pro feature: timeline, custom fields, automations,
          guests and time tracking.
        - **Admin > Billing > Plan** shows the days left.
        - When the trial ends without a paid plan, the workspace moves to **Free**. Nothing is
          deleted; projects beyond the 3 active projects of Free become read-only.

        A workspace gets one trial. To evaluate Business or Enterprise features such as SAML SSO,
        contact sales for an extended trial.
        """,
        subjects=["Trial length", "What happens after the trial", "Extend trial"],
        questions=[
            "How long is the free trial, and do I need to enter a credit card?",
            "What happens to our projects when the Pro trial ends?",
            "Can we extend our trial? We need more time to evaluate.",
            "Which features are included in the trial?",
            "Our trial ended and now some projects are read-only. Why?",
            "Can we try SAML SSO before buying?",
        ],
        details=[
            "We're evaluating for a team of 15 at {company}.",
            "My colleague {colleague} set up the trial.",
        ],
        answer="""Every new workspace gets a 21-day Pro trial with no card required. When it ends
        without a paid plan the workspace moves to Free; nothing is deleted, but projects beyond
        Free's 3 active projects become read-only. Contact sales for an extended trial of Business
        or Enterprise features.""",
    ),
    topic(
        "education-pricing", CATEGORY, "Education pricing", html=True,
        body="""
        Accredited schools, colleges and universities can use **Pro for free** for classroom use,
        for up to **200 students** per workspace. Staff and administration teams get **30% off**
        Business.

        1. Sign up with your school email address.
        2. Apply at orbitask.com/education with proof of accreditation.

        We verify applications within 5 business days. The free classroom plan is renewed every
        year in August.
        """,
    ),
]
