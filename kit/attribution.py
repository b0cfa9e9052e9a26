def find_attribution_claims(article, lex, incident):
    return []
