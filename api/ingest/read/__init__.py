"""Reading an article: its text, sentences, dates, countries, money, quotes, people."""
