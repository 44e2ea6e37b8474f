import arcorpus


def test_clean_returns_text_without_empty_lines() -> None:
    assert arcorpus.clean("a\n\n b \n") == "a\nb"
