"""SQL: one read-only query at a time over the published file, for architects."""

import streamlit as st

from app.db import Publication, require_publication
from app.sandbox import (
    EXAMPLES,
    ROW_CAP,
    TIME_LIMIT_S,
    QueryFailed,
    run_query,
    sandbox,
)


def _close(con) -> None:
    con.close()


@st.cache_resource(max_entries=2, on_release=_close, show_spinner=False)
def _sandbox(publication: Publication):
    return sandbox(publication.path)


st.title("SQL")
st.caption(
    "One read-only query over the published file (the `marts` and `ops` schemas): SELECT, "
    "WITH, DESCRIBE, SHOW, SUMMARIZE or EXPLAIN. Nothing can be written, copied to files, read "
    f"from or attached outside it. At most {ROW_CAP:,} rows are shown; a query is stopped "
    f"after {TIME_LIMIT_S:g} s. `radar sql` runs the same sandbox in a terminal."
)

example = st.selectbox("Example", options=list(EXAMPLES), index=0, key="sql_example")
# A key per example: picking another example replaces the text; edits stay with their example.
sql = st.text_area(
    "Query (Ctrl+Enter runs it)",
    value=EXAMPLES[example],
    height=220,
    key=f"sql_text_{list(EXAMPLES).index(example)}",
)

if sql.strip():
    try:
        answer = run_query(_sandbox(require_publication()), sql)
    except QueryFailed as error:
        st.error(str(error))
    else:
        rows = len(answer.frame)
        note = f" (the first {ROW_CAP:,}: the query returns more)" if answer.truncated else ""
        st.caption(
            f"{rows:,} row{'s' if rows != 1 else ''}{note} in {answer.seconds * 1000:.0f} ms."
        )
        st.dataframe(answer.frame, hide_index=True)
        st.download_button(
            "Download CSV",
            data=answer.frame.to_csv(index=False),
            file_name="radar-query.csv",
            mime="text/csv",
            key="sql_download",
        )
