"""The named-query cases every engine must answer alike (imported as `query_cases`).

CASES run on the seed graph (each has a hand-checked golden file in tests/golden/seeds/);
NSCLC_CASES on the 100 real NSCLC records, with parameters that select something there.
"""

from __future__ import annotations

from paths import DATA

NSCLC = DATA / "ctgov" / "v2json_nsclcbench_ctg-studies.json.gz"

#: (golden file stem, query name, parameters)
CASES: list[tuple[str, str, dict[str, str]]] = [
    ("pd1_combinations_measuring_pfs", "pd1_combinations_measuring_pfs", {}),
    ("endpoints", "endpoints", {}),
    ("trial_drugs", "trial_drugs", {}),
    ("trials_by_phase", "trials_by_phase", {}),
    ("trials_by_endpoint_type__PFS", "trials_by_endpoint_type", {"endpoint_type": "PFS"}),
    (
        "trials_by_endpoint_type__response",
        "trials_by_endpoint_type",
        {"endpoint_type": "tg:ResponseEndpoint"},
    ),
    ("combination_partners__camrelizumab", "combination_partners", {"drug": "camrelizumab"}),
    ("combination_partners__capecitabine", "combination_partners", {"drug": "capecitabine"}),
    ("trials_by_condition_group__solid", "trials_by_condition_group", {"group": "solid tumour"}),
    ("trials_by_condition_group__sarcoma", "trials_by_condition_group", {"group": "Sarcoma"}),
]


#: parameters that select something in the NSCLC sample (the seed cases' drugs and groups may not)
NSCLC_CASES = [
    *(
        (name, params)
        for _, name, params in CASES
        if name != "combination_partners" and params.get("group") != "Sarcoma"  # none in NSCLC
    ),
    ("combination_partners", {"drug": "pembrolizumab"}),
    ("combination_partners", {"drug": "carboplatin"}),
    ("trials_by_condition_group", {"group": "lung cancer"}),
]
