"""Knowledge base: the REST API, tokens, rate limits and webhooks."""

from .model import topic

CATEGORY = "api"

TOPICS = [
    topic(
        "api-tokens", CATEGORY, "Personal access tokens for the API (ORB-4011)",
        """
        Scripts and tools authenticate to the Orbitask API with a personal access token.

        ## Create a token

        1. Go to **Settings > Developer > Personal access tokens > Generate token**.
        2. Name it, choose scopes (tasks:read, tasks:write, projects:read, users:read...) and an
           expiry of **30, 90 or 365 days** (default 90).
        3. Copy the token. It is shown **once**.

        Send it in every request:

            Authorization: Bearer <token>

        A token acts as you: it sees what you see. Admins can list and revoke all tokens of the
        workspace in **Admin > Security > API tokens**.

        ## ORB-4011: Invalid API token

        The API answers HTTP 401 with **ORB-4011** when the token is wrong, expired or revoked, or
        when the header is missing the word Bearer. Generate a new token.
        """,
        subjects=["API token not working", "ORB-4011", "Create API key"],
        questions=[
            "My API calls suddenly return 401 with ORB-4011 Invalid API token. The script worked last week.",
            "How do I create an API key for Orbitask?",
            "I lost my API token. Can you show it to me again?",
            "How long are personal access tokens valid?",
            "How do I send the token with my API requests?",
            "As an admin, can I see and revoke the tokens people in our workspace created?",
        ],
        details=[
            "The requests come from our server at {ip}.",
            "The token belonged to {colleague}, who left.",
            "I'm calling the API with curl from {ip6}.",
        ],
        answer="""Create a token in Settings > Developer > Personal access tokens > Generate token; it
        is shown once and expires after 30, 90 or 365 days. Send it as Authorization: Bearer
        <token>. ORB-4011 means the token is wrong, expired or revoked, so generate a new one.""",
    ),
    topic(
        "api-rate-limits", CATEGORY, "API rate limits (ORB-4290)",
        """
        Rate limits apply **per workspace**, across all tokens and apps (including Zapier):

        | Plan | Requests per minute |
        |---|---|
        | Free | 60 |
        | Starter | 300 |
        | Pro | 600 |
        | Business | 1,200 |
        | Enterprise | 3,000 |

        Every response carries the headers **X-RateLimit-Limit**, **X-RateLimit-Remaining** and
        **X-RateLimit-Reset** (Unix time when the window resets).

        Over the limit, the API answers **HTTP 429** with **ORB-4290: Rate limit exceeded** and a
        **Retry-After** header with the number of seconds to wait. Wait that long, then retry
        with exponential backoff.

        Tips: use webhooks instead of polling, request up to 100 items per page, and use the
        batch endpoint (**POST /v2/batch**, up to 20 operations per request, counted as one
        request).
        """,
        subjects=["HTTP 429 from API", "ORB-4290 rate limit", "API limits per plan"],
        questions=[
            "Our integration gets HTTP 429 with ORB-4290 Rate limit exceeded. What are the limits?",
            "How many API requests per minute does the Business plan allow?",
            "Is the rate limit per token or per workspace?",
            "How do I know how long to wait after hitting the rate limit?",
            "Can we make fewer requests when syncing thousands of tasks?",
            "Does Zapier usage count towards our API rate limit?",
        ],
        details=[
            "Our sync job runs on {ip} every five minutes.",
            "We're on Pro.",
        ],
        answer="""Limits are per workspace: 60 requests per minute on Free, 300 on Starter, 600 on
        Pro, 1,200 on Business and 3,000 on Enterprise. On HTTP 429 with ORB-4290, wait for the
        seconds in the Retry-After header and retry with backoff; webhooks and the batch endpoint
        help you make fewer requests.""",
    ),
    topic(
        "webhooks", CATEGORY, "Webhooks",
        """
        Webhooks send an HTTP POST to your endpoint when something happens in Orbitask.

        ## Create one

        Go to **Settings > Developer > Webhooks > Add endpoint**, enter an HTTPS URL, choose events
        (task.created, task.updated, task.completed, comment.created, project.archived...) and
        save. Orbitask shows a **signing secret**.

        ## Verify the signature

        Each request has an **X-Orbitask-Signature** header: the hex **HMAC-SHA256** of the raw
        request body, keyed with the signing secret. Compute it yourself and compare before
        trusting the payload.

        ## Delivery and retries

        - Answer with any **2xx** status within **10 seconds**.
        - Failed deliveries are retried **6 times over 24 hours** with exponential backoff.
        - An endpoint that fails for **3 days** in a row is disabled and the creator gets an
          email. Re-enable it from the same page.

        The **Deliveries** tab shows the last 500 deliveries with their payloads and responses,
        and lets you resend one.
        """,
        subjects=["Webhook signature", "Webhook disabled", "Webhook retries"],
        questions=[
            "How do I verify that a webhook request really comes from Orbitask?",
            "Our webhook endpoint was disabled. Why, and how do I turn it back on?",
            "How many times do you retry a failed webhook delivery?",
            "How fast does our endpoint need to respond to a webhook?",
            "Where can I see the payloads Orbitask sent to our endpoint?",
            "Which events can trigger a webhook?",
        ],
        details=[
            "Our endpoint runs on {ip}.",
            "The endpoint was created by {colleague}.",
        ],
        answer="""Each webhook has an X-Orbitask-Signature header, the HMAC-SHA256 of the raw body with
        your signing secret, so compute and compare it. Reply with a 2xx within 10 seconds;
        failures are retried 6 times over 24 hours, and an endpoint failing for 3 days is disabled
        until you re-enable it in Settings > Developer > Webhooks.""",
    ),
    topic(
        "api-pagination", CATEGORY, "Pagination in the API",
        """
        List endpoints return results a page at a time with **cursor pagination**.

        - Pass **limit** (default 25, maximum **100**).
        - Each response has a **next_cursor**; pass it as **cursor** to get the next page.
        - When next_cursor is null, there are no more results.

        Example:

            GET https://api.orbitask.com/v2/projects/PRJ-12/tasks?limit=100
            GET https://api.orbitask.com/v2/projects/PRJ-12/tasks?limit=100&cursor=eyJpZCI6...

        Cursors are valid for **24 hours**. Results are ordered by creation time unless you pass
        **order_by**.
        """,
    ),
    topic(
        "oauth-apps", CATEGORY, "Build an OAuth app",
        """
        To let other Orbitask users connect your app, register an OAuth app instead of using
        personal tokens.

        1. Go to **Settings > Developer > OAuth apps > New app**.
        2. Enter the name, logo and **redirect URLs**.
        3. Copy the **client ID** and **client secret**.

        Orbitask supports the **authorization code flow with PKCE**:

        - Authorize at https://auth.orbitask.com/oauth/authorize
        - Exchange the code at https://auth.orbitask.com/oauth/token

        Scopes: tasks:read, tasks:write, projects:read, projects:write, users:read, webhooks:write.
        Access tokens are valid for **1 hour**; refresh tokens for **90 days** and rotate on use.

        Apps used outside your own workspace must pass a review before they appear in the
        Orbitask app directory.
        """,
    ),
    topic(
        "api-reference", CATEGORY, "REST API overview",
        """
        The Orbitask REST API lets you read and change everything you can see in the app.

        ## Basics

        | | |
        |---|---|
        | Base URL | https://api.orbitask.com/v2 |
        | Format | JSON, UTF-8 |
        | Authentication | Authorization: Bearer <token> (personal access token or OAuth) |
        | Dates | ISO 8601, UTC (2024-05-01T09:30:00Z) |
        | IDs | Strings with a prefix: PRJ- for projects, TSK- for tasks, USR- for people |
        | Versioning | The version is in the path; v1 was retired on 2024-06-30 |

        ## Main resources

        | Resource | Endpoints |
        |---|---|
        | Projects | GET /projects, POST /projects, GET /projects/{id}, PATCH /projects/{id}, POST /projects/{id}/archive |
        | Tasks | GET /projects/{id}/tasks, POST /tasks, GET /tasks/{id}, PATCH /tasks/{id}, DELETE /tasks/{id} |
        | Subtasks | GET /tasks/{id}/subtasks, POST /tasks/{id}/subtasks |
        | Comments | GET /tasks/{id}/comments, POST /tasks/{id}/comments |
        | Attachments | POST /tasks/{id}/attachments (multipart, size limit of your plan) |
        | Custom fields | GET /projects/{id}/fields, PATCH /tasks/{id}/fields |
        | People | GET /users, GET /users/me |
        | Time entries | GET /time-entries, POST /tasks/{id}/time-entries |
        | Webhooks | GET /webhooks, POST /webhooks, DELETE /webhooks/{id} |
        | Batch | POST /batch (up to 20 operations, counted as one request) |

        ## Creating a task

            POST https://api.orbitask.com/v2/tasks
            Authorization: Bearer <token>
            Content-Type: application/json

            {"project_id": "PRJ-12", "title": "Prepare Q3 roadmap",
             "assignee": "USR-881", "due_date": "2024-07-15", "labels": ["planning"]}

        The response is the created task with its id (TSK-...) and task key (for example
        WEB-142).

        ## Errors

        Errors have an HTTP status and a JSON body with an Orbitask error code:

            {"error": {"code": "ORB-4290", "message": "Rate limit exceeded", "request_id": "req_8f2c..."}}

        | HTTP | Code | Meaning |
        |---|---|---|
        | 400 | ORB-4000 | The request body is invalid; the message names the field |
        | 401 | ORB-4011 | Invalid, expired or revoked token |
        | 403 | ORB-4030 | The token lacks a scope, or you lack access to the object |
        | 403 | ORB-7003 | Your IP address is not on the workspace's allowlist |
        | 404 | ORB-4040 | The object doesn't exist or you can't see it |
        | 409 | ORB-4090 | Conflict, for example a stale If-Match version |
        | 429 | ORB-4290 | Rate limit exceeded; see Retry-After |
        | 5xx | ORB-5000 | Something went wrong on our side; retry with backoff |

        Include the request_id when you contact support.

        ## Concurrency

        Every object has a **version**. Send it in an **If-Match** header with PATCH to avoid
        overwriting someone else's change; a stale version gives HTTP 409.

        ## Pagination, rate limits and webhooks

        - Lists use cursor pagination: limit (maximum 100) and next_cursor.
        - Rate limits are per workspace and per plan, from 60 requests per minute on Free to
          3,000 on Enterprise.
        - Prefer webhooks to polling; they are signed with HMAC-SHA256.

        ## SDKs

        Official SDKs exist for **Python** (pip install orbitask), **JavaScript/TypeScript**
        (npm install @orbitask/sdk) and **Go**. They handle pagination, retries on HTTP 429 and
        webhook signature checks.

        ## Sandbox

        Every paid workspace can create one **sandbox workspace** (Admin > Developer > Sandbox)
        with the same plan features, for testing integrations without touching real data.
        Sandboxes are deleted after 90 days without activity.
        """,
    ),
]
