"""Numbers as the text a table shows: a missing value is a blank cell (or a reason), never "None".

Streamlit's grid writes "None" in a numeric cell without a value, so columns that may miss values
are shown as text, formatted here.
"""

import pandas as pd


def number_text(value, spec: str, missing: str = "") -> str:
    """`value` formatted with `spec` ("+.2f", ",d", "+.1f%"...), or `missing` when there is none."""
    if value is None or pd.isna(value):
        return missing
    if spec.endswith("%"):
        return f"{float(value):{spec[:-1]}}%"
    if spec.endswith("d"):
        return f"{int(value):{spec}}"
    return f"{float(value):{spec}}"
