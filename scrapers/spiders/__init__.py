"""Spiders, one per source kind. File name = spider name."""
