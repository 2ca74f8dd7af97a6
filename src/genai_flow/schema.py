"""The columns of the dataset that flows between the stages (data-prep -> pii -> embed,
fine-tune, evaluate). data-prep writes them; later stages read them by these names."""

ID = "id"  # stable id: the source record's id, plus "#<chunk>" for chunks of long documents
SOURCE = "source"  # the file or URL the row came from
TYPE = "type"  # "article" (knowledge base text) or "ticket" (a question with an agent answer)
SPLIT = "split"  # "train" or "test" (the held-out evaluation split)
SUBJECT = "subject"  # article title or ticket subject
TEXT = "text"  # article chunk, or the customer's question
ANSWER = "answer"  # the agent's answer (tickets); empty for articles
CHUNK = "chunk"  # chunk index within its document (0 for unchunked rows)

COLUMNS = [ID, SOURCE, TYPE, SPLIT, SUBJECT, TEXT, ANSWER, CHUNK]

ARTICLE, TICKET = "article", "ticket"
TRAIN, TEST = "train", "test"


def embedding_text(subject: str, text: str) -> str:
    """What the embed stage embeds for a row: the chunk with its title, which carries the topic
    (data-prep sizes chunks so that this fits the embedding model)."""
    return f"{subject}\n{text}" if subject else text
