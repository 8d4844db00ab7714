"""Market Radar: the Streamlit router (`streamlit run app/main.py`)."""

import streamlit as st

from app.db import published_at, require_publication

st.set_page_config(page_title="Market Radar", page_icon="📡", layout="wide")

page = st.navigation(
    [
        st.Page("views/this_week.py", title="This week", icon=":material/feed:", default=True),
        st.Page("views/competitors.py", title="Competitors", icon=":material/storefront:"),
        st.Page("views/comparison.py", title="Pricing comparison", icon=":material/compare:"),
        st.Page("views/pricing.py", title="Pricing", icon=":material/sell:"),
        st.Page("views/trends.py", title="Trends", icon=":material/trending_up:"),
        st.Page("views/radar.py", title="Technology radar", icon=":material/radar:"),
        st.Page("views/ranking.py", title="Ranking", icon=":material/leaderboard:"),
        st.Page("views/technology.py", title="Technology", icon=":material/memory:"),
        st.Page("views/health.py", title="Data health", icon=":material/monitor_heart:"),
        st.Page("views/sql.py", title="SQL", icon=":material/terminal:"),
    ]
)

# Checked here so that every view shows the same empty state, with the navigation still usable.
publication = require_publication()
st.sidebar.caption(
    f"Published file: `{publication.path}`  \n"
    f"Published at: {published_at(publication):%Y-%m-%d %H:%M} UTC"
)

page.run()
