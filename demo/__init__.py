"""The offline demo market: its story (generate), its web server (web) and scaled copies
of it for benchmarks (market). Nothing here runs in real mode."""
