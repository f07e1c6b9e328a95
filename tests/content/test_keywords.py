from distributor.content.keywords import build_hashtags, extract_keywords, hashtag
from distributor.content.stopwords import stop_words

TEXT = (
    "Shin splints are one of the most common complaints we see in runners. The pain of shin "
    "splints sits along the shinbone. Runners with shin splints should reduce their training "
    "load and strengthen their calves. Calf strength protects the shinbone. Tom Peeters, our "
    "physiotherapist, treats many runners with shin splints every spring."
)


def test_keywords_are_distinct_and_hold_no_stop_words():
    keywords = extract_keywords(TEXT, "en", "Shin splints in runners")
    assert 1 <= len(keywords) <= 8
    assert "shin splints" in keywords
    stop = stop_words("en")
    assert not any(word in stop for keyword in keywords for word in keyword.split())
    assert len({k.lower() for k in keywords}) == len(keywords)


def test_keywords_are_deduplicated_by_lemma():
    keywords = extract_keywords(TEXT, "en", "Shin splints in runners")
    assert not ("runner" in keywords and "runners" in keywords)


def test_names_of_people_are_not_keywords():
    keywords = extract_keywords(TEXT, "en")
    assert not any("peeters" in k for k in keywords)


def test_dutch_keywords_use_dutch_stop_words():
    text = (
        "Rugpijn is een veelvoorkomende klacht. Bij rugpijn is bewegen belangrijk. "
        "De kinesitherapeut helpt je met oefeningen tegen rugpijn."
    )
    keywords = extract_keywords(text, "nl")
    assert "rugpijn" in keywords
    assert not any(k in stop_words("nl") for k in keywords)


def test_hashtags_are_camel_case_letters_and_digits():
    assert hashtag("lage rugpijn") == "#LageRugpijn"
    assert hashtag("MRI-scan") == "#MRIScan"
    assert hashtag("2024") is None


def test_hashtags_take_tags_first_then_keywords_without_duplicates_at_most_five():
    tags = ("Rugpijn", "gezondheid")
    keywords = ("rugpijn", "lage rugpijn", "kinesitherapie", "hernia", "slaap", "beweging")
    assert build_hashtags(tags, keywords) == (
        "#Rugpijn",
        "#Gezondheid",
        "#LageRugpijn",
        "#Kinesitherapie",
        "#Hernia",
    )


def test_a_giant_token_is_left_out_instead_of_stalling_the_extractor():
    text = "Rugpijn en bewegen gaan samen. " + "a" * 200_000 + " Rugpijn verdwijnt met bewegen."
    keywords = extract_keywords(text, "nl")
    assert "rugpijn" in keywords
    assert all(len(k) < 50 for k in keywords)


def test_the_words_a_post_keeps_returning_to_rank_first():
    text = (
        "Een enkelverstuiking geneest sneller dan je denkt. Na een enkelverstuiking mag je snel "
        "weer wandelen. Oefeningen voor de enkel helpen. De enkelverstuiking is vaak onschuldig. "
        "Soms gebeurt dat tijdens een wedstrijd op zaterdag."
    )
    keywords = extract_keywords(text, "nl", title="Wat na een enkelverstuiking?")
    assert keywords[0] == "enkelverstuiking"
    assert "zaterdag" not in keywords[:2]


def test_a_name_written_mid_sentence_is_not_a_keyword_even_when_a_sentence_starts_with_it():
    text = (
        "Lotte start maandag in de praktijk. Onze nieuwe collega Lotte behandelt sportletsels. "
        "Sportletsels bij lopers zijn haar specialiteit, en sportletsels bij kinderen ook."
    )
    keywords = extract_keywords(text, "nl")
    assert "sportletsels" in keywords
    assert not any("lotte" in k.lower() for k in keywords)


def test_verbs_and_adverbs_are_never_keywords():
    text = (
        "Après une entorse, reprendre le sport progressivement est essentiel. Reprendre trop "
        "vite abîme la cheville. Reprendre progressivement protège les ligaments de la cheville."
    )
    keywords = extract_keywords(text, "fr", "Entorse : reprendre progressivement")
    assert "cheville" in keywords and "entorse" in keywords
    assert not {"reprendre", "progressivement"} & set(keywords)
    dutch = (
        "Voortaan wandel ik elke dag. Voortaan neem ik de trap. Wandelen helpt tegen rugpijn, "
        "en de rugpijn verdwijnt geleidelijk. Geleidelijk opbouwen helpt."
    )
    keywords = extract_keywords(dutch, "nl")
    assert "rugpijn" in keywords
    assert not {"voortaan", "geleidelijk", "wandelen", "helpt"} & set(keywords)


def test_a_word_that_may_be_a_noun_counts_when_the_post_uses_it_as_one():
    text = (
        "Your heel hurts in the morning. The heel takes the load of every step. Heel pain "
        "fades when the heel gets stronger."
    )
    keywords = extract_keywords(text, "en", "Why your heel hurts")
    assert "heel" in keywords
    assert "heel hurts" not in keywords


def test_hashtags_are_built_from_topic_nouns_only():
    digest_keywords = extract_keywords(
        "Reprendre la course après une entorse de la cheville demande de la patience. La "
        "cheville guérit progressivement.",
        "fr",
    )
    tags = build_hashtags((), digest_keywords)
    assert "#Cheville" in tags
    assert not {"#Reprendre", "#Progressivement"} & set(tags)
