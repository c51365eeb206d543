"""Casualty words and the victim phrases the grammar ties to them.

:mod:`.words` classifies a token as a casualty word (verb, adjective, noun) and reads its
hedge; :mod:`.victims` finds the victim phrase of a verb or an adjective; :mod:`.figures`
runs the patterns over a sentence and returns its figures.
"""
