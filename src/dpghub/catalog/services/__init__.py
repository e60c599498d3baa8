"""Writes to the catalogue. Every public function is keyword-only and named ``entity_verb``."""
