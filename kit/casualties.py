def find_casualty_claims(article, lex, incident):
    return []
