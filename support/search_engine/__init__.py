"""The FAQ search engine's parts, behind support/search.py (the one module the rest of the app imports):

    textmatch.py   words: folding (å -> a), tokens, typo distance and neighbours, compound splits, snippets
    ranking.py     BM25F weights precomputed per term and document; combining a query's words
    actions.py     which of two opposite actions a text names (add or remove, import or export), and whether
                   it asks for a matter no entry answers (content/unanswered.yaml)
    index.py       the per-language indexes (Whoosh's stemmers and stop words, wordfreq's real words)
    lexicon.py     synonyms, irregular inflections and matters no entry answers, from content/

The only package that imports whoosh.
"""
