"""The seed plain-text reader: the five seeds, a round trip of every real v2 record, edge cases, bad input."""

from __future__ import annotations

import doctest
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from paths import SEEDS, TESTS
from seed_render import ExpectedFields, expected_fields, iter_real_studies, render
from trialgraph.errors import RecordError
from trialgraph.readers import seed_text
from trialgraph.readers.seed_text import (
    INTERVENTION_TYPES,
    looks_like_seed_text,
    read_seed_file,
    read_seed_text,
    split_conditions,
    split_outcome,
)
from trialgraph.records import RejectedRecord, SourceRef, TrialRecord

FIXTURES = TESTS / "fixtures" / "seed_format"
SOURCE = SourceRef("inline.txt")

# Measured over all 310 in-repo real records (the four JSON arrays and the AACT tar), primary and
# secondary outcomes: split_outcome gives back measure, description and time frame exactly for
# 1741 of 1825 entries (95.4%); a naive split at the first and last ", " gets 1361 (74.6%).
REAL_RECORDS = 310
REAL_RECORDS_WITHOUT_INTERVENTIONS = 34
REAL_OUTCOME_ENTRIES = 1825
EXACT_OUTCOME_SPLITS = 1741


def read(text: str) -> TrialRecord:
    return read_seed_text(text, SOURCE)


def only(path: Path) -> TrialRecord | RejectedRecord:
    results = list(read_seed_file(path))
    assert len(results) == 1
    return results[0]


def only_record(path: Path) -> TrialRecord:
    result = only(path)
    assert isinstance(result, TrialRecord), result
    return result


def only_rejected(path: Path) -> RejectedRecord:
    result = only(path)
    assert isinstance(result, RejectedRecord), result
    return result


def outcomes(record: TrialRecord, role: str) -> list[tuple[str, str | None, str | None]]:
    return [(o.measure, o.description, o.time_frame) for o in record.outcomes if o.role == role]


def interventions(record: TrialRecord) -> list[tuple[str | None, str]]:
    return [(i.type, i.name) for i in record.interventions]


# --- the five seeds, values checked by hand against the files ------------------------------------


def test_seed_000_two_paragraph_summary_and_one_primary_three_secondary() -> None:
    record = only_record(SEEDS / "000_6aa67dc2616ea169.txt")
    assert record.title == (
        "Clinical Study of Utidelone Injection in Patients With Advanced or Metastatic Solid Tumors"
    )
    assert record.brief_summary is not None
    assert record.brief_summary.startswith("This trial is an open, two-stage, multi-center, phase II")
    assert record.brief_summary.count("\n\n") == 1
    assert record.brief_summary.endswith("during the expansion stage.")
    assert record.conditions == ("Solid Tumor",)
    assert interventions(record) == [("DRUG", "utidelone injection")]
    primary = outcomes(record, "primary")
    assert len(primary) == 1
    assert primary[0][0] == "Tumor response to utidelone treatment"
    assert primary[0][1] is not None and primary[0][1].endswith("according to RECIST. 1.1.")
    assert primary[0][2] == "12 months from first study treatment"
    secondary = outcomes(record, "secondary")
    assert secondary[0] == ("Clinical benefit rate (CBR)", None, "12 months from first study treatment")
    assert [m for m, _, _ in secondary] == [
        "Clinical benefit rate (CBR)",
        "Progression free survival (PFS)",
        "Safety profile associated with utidelone injection",
    ]
    assert record.detailed_description == record.brief_summary  # the registry entry repeats it


def test_seed_001_full_width_brackets_kept_in_measures() -> None:
    record = only_record(SEEDS / "001_8c8d6eab7ca31e48.txt")
    assert record.conditions == ("Breast Cancer Recurrent",)
    assert interventions(record) == [("DRUG", "Utidelone Capsule Plus Capecitabine")]
    assert outcomes(record, "primary") == [
        (
            "Objective Response Rate （ORR）",
            "ORR is defined as the percentage of participants in the analysis population who have CR or PR "
            "per RECIST 1.1.",
            "18 months",
        )
    ]
    secondary = outcomes(record, "secondary")
    assert len(secondary) == 5
    assert secondary[0] == (
        "Progression-Free Survival（PFS）",
        "time from the first dose to disease progression or any-cause death",
        "18 months",
    )
    assert secondary[-1][2] == "Until 28 days after the last dose of treatment"
    assert record.detailed_description is not None and "\n" not in record.detailed_description


def test_seed_002_duplicated_intervention_and_comma_inside_description() -> None:
    record = only_record(SEEDS / "002_1be6ace33cd82a93.txt")
    assert record.conditions == ("Solid Tumor", "Malignant Ascites")
    assert interventions(record) == [("DRUG", "SK-NK injection"), ("DRUG", "SK-NK injection")]
    primary = outcomes(record, "primary")
    assert primary == [
        (
            "SK-NK injection safety and tolerance",
            "The incidence of DLT,TEAEs and SAE, and the safety indicators before and after administration",
            "up to 12 months",
        ),
        ("ORR", "Antitumor efficacy of SK-NK injection", "up to 12 months"),
    ]
    secondary = outcomes(record, "secondary")
    assert len(secondary) == 7
    assert secondary[0][0] == "Pharmacokinetic (PK) characteristics of SK-NK injection;"
    assert [tf for _, _, tf in secondary][-3:] == ["up to 12months"] * 3
    assert record.brief_summary is not None and "20×108 cells" in record.brief_summary
    assert record.brief_summary == record.detailed_description


def test_seed_003_two_drugs_and_three_paragraph_description() -> None:
    record = only_record(SEEDS / "003_f2dbe8b771b22b90.txt")
    assert record.title == "Albumin-bound Paclitaxel Plus Camrelizumab for Advanced Soft Tissue Sarcoma."
    assert interventions(record) == [("DRUG", "Albumin-Bound Paclitaxel"), ("DRUG", "Camrelizumab")]
    assert outcomes(record, "primary")[0][0] == "Progression-free survival"
    assert outcomes(record, "primary")[0][2] == "Up to approximately 24months"
    assert outcomes(record, "secondary") == [
        (
            "Objective response rate",
            "Defined as the proportion of patients who achieve partial response or complete response "
            "according to RECIST 1.1.",
            "Up to approximately 24months",
        )
    ]
    assert record.brief_summary is not None and record.brief_summary.count("\n\n") == 1
    assert record.detailed_description is not None and record.detailed_description.count("\n\n") == 2


def test_seed_004_roman_numeral_and_time_frames_with_commas() -> None:
    record = only_record(SEEDS / "004_ffaa2e95f33a112b.txt")
    assert record.brief_summary is not None and "phaseⅠb trail" in record.brief_summary
    assert record.conditions == ("Advanced Solid Tumors",)
    assert interventions(record) == [("DRUG", "QL1706 injection")]
    primary = outcomes(record, "primary")
    assert len(primary) == 1 and primary[0][2] == "up to 24 weeks"
    assert primary[0][1] is not None and "≥4 weeks." in primary[0][1]
    secondary = outcomes(record, "secondary")
    assert [m for m, _, _ in secondary] == [
        "disease control rate (DCR)",
        "progression-free survival (PFS)",
        "overall survival time (OS)",
        "adverse event (AE)",
    ]
    assert secondary[1][2] == (
        "From date of enrollment until the date of first documented progression or date of death from any "
        "cause, whichever came first, assessed up to 24 months"
    )
    assert secondary[3] == (
        "adverse event (AE)",
        "The rates and severity of AEs after QL1706 injection",
        "up to 90 days after the last QL1706 injection is administered.",
    )
    assert record.detailed_description is not None and record.detailed_description.count("\n\n") == 1


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_seed_source_ref_names_file_and_checksums_bytes(path: Path) -> None:
    record = only_record(path)
    assert record.source == SourceRef(
        file=path.name, position=1, checksum="sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    )
    assert record.nct_id is None
    assert record.phases is None  # the format has no phase field: the converter reads the text
    assert {o.role for o in record.outcomes} <= {"primary", "secondary"}


# --- every real v2 record, rendered and read back ------------------------------------------------


@dataclass(frozen=True)
class RoundTrip:
    source_file: str
    expected: ExpectedFields
    text: str
    result: TrialRecord | RecordError


@pytest.fixture(scope="module")
def round_trips() -> list[RoundTrip]:
    trips = []
    for item in iter_real_studies():
        expected = expected_fields(item.study)
        text = render(item.study)
        result: TrialRecord | RecordError
        try:
            result = read_seed_text(text, SourceRef(f"{expected.nct_id}.txt"))
        except RecordError as error:
            result = error
        trips.append(RoundTrip(item.source_file, expected, text, result))
    return trips


def readable(trips: list[RoundTrip]) -> list[tuple[ExpectedFields, TrialRecord]]:
    return [(t.expected, t.result) for t in trips if isinstance(t.result, TrialRecord)]


def test_every_real_record_with_interventions_reads_back(round_trips: list[RoundTrip]) -> None:
    assert len(round_trips) == REAL_RECORDS
    for trip in round_trips:
        if trip.expected.interventions:
            assert isinstance(trip.result, TrialRecord), (trip.expected.nct_id, trip.result)


def test_real_records_without_interventions_are_rejected_on_that_field(round_trips: list[RoundTrip]) -> None:
    # The format anchors on the interventions line; an empty one leaves the summary's end unknown.
    rejected = [t for t in round_trips if not isinstance(t.result, TrialRecord)]
    assert len(rejected) == REAL_RECORDS_WITHOUT_INTERVENTIONS
    for trip in rejected:
        assert not trip.expected.interventions
        assert isinstance(trip.result, RecordError) and trip.result.field == "interventions"
        assert f"{trip.expected.nct_id}.txt" in str(trip.result)


def test_round_trip_free_text_fields_are_exact(round_trips: list[RoundTrip]) -> None:
    for expected, record in readable(round_trips):
        assert record.title == expected.title, expected.nct_id
        assert record.brief_summary == expected.brief_summary, expected.nct_id
        assert record.detailed_description == expected.detailed_description, expected.nct_id
        assert record.nct_id is None and record.phases is None


def test_round_trip_interventions_are_exact(round_trips: list[RoundTrip]) -> None:
    for expected, record in readable(round_trips):
        assert tuple((i.type, i.name) for i in record.interventions) == expected.interventions, (
            expected.nct_id
        )


def _comma_outside_brackets(condition: str) -> bool:
    return ", " in re.sub(r"\([^()]*\)", "", condition)


def test_round_trip_conditions_exact_unless_a_condition_contains_a_comma(
    round_trips: list[RoundTrip],
) -> None:
    ambiguous = 0
    for expected, record in readable(round_trips):
        assert ", ".join(record.conditions) == ", ".join(expected.conditions), expected.nct_id
        if any(_comma_outside_brackets(c) for c in expected.conditions):
            ambiguous += 1  # "Diabetes Mellitus, Type 2" cannot be told from two conditions
        else:
            assert record.conditions == expected.conditions, expected.nct_id
    assert ambiguous > 0  # the data does exercise the ambiguous case


def test_round_trip_outcome_roles_counts_and_rejoined_text_are_exact(round_trips: list[RoundTrip]) -> None:
    for expected, record in readable(round_trips):
        assert [o.role for o in record.outcomes] == [o.role for o in expected.outcomes], expected.nct_id
        for got, want in zip(record.outcomes, expected.outcomes, strict=True):
            rejoined = ", ".join(p for p in (got.measure, got.description, got.time_frame) if p)
            assert rejoined == want.entry(), expected.nct_id


def test_outcome_split_exact_recovery_rate_over_all_real_records(round_trips: list[RoundTrip]) -> None:
    # Over every record, readable or not: split each "|"-entry of the rendered outcome lines, as the
    # reader does, and compare with the JSON fields.
    total = exact = 0
    for trip in round_trips:
        lines = trip.text.split("\n")
        anchor = 3 + len((trip.expected.brief_summary or "").split("\n"))  # title, summary, conditions
        entries = [e for line in lines[anchor : anchor + 2] if line for e in line.split("|")]
        assert len(entries) == len(trip.expected.outcomes), trip.expected.nct_id
        for entry, want in zip(entries, trip.expected.outcomes, strict=True):
            got = split_outcome(entry)
            assert ", ".join(p for p in got if p) == entry
            total += 1
            exact += got == (want.measure, want.description, want.time_frame)
    assert total == REAL_OUTCOME_ENTRIES
    assert exact >= EXACT_OUTCOME_SPLITS, f"{exact}/{total}"


def test_reader_outcomes_are_split_outcome_of_each_entry(round_trips: list[RoundTrip]) -> None:
    for expected, record in readable(round_trips):
        for got, want in zip(record.outcomes, expected.outcomes, strict=True):
            assert (got.measure, got.description, got.time_frame) == split_outcome(want.entry())


# --- fixtures rendered from real records ---------------------------------------------------------

FIXTURE_SOURCES = {
    "NCT04646330": "v2json_nsclcbench_ctg-studies.json.gz",
    "NCT06944470": "v2json_nsclcbench_ctg-studies.json.gz",
    "NCT06358118": "v2json_vsuptl_ctg-studies.json.gz",
    "NCT06863285": "v2json_jinash_ctg-studies.json.gz",
    "NCT04636775": "v2json_nsclcbench_ctg-studies.json.gz",
    "NCT00410098": "v2json_jinash_ctg-studies.json.gz",
    "NCT05991206": "v2json_nsclcbench_ctg-studies.json.gz",
}


def test_fixtures_are_current_renderings_of_their_source_records() -> None:
    assert sorted(p.stem for p in FIXTURES.glob("*.txt")) == sorted(FIXTURE_SOURCES)
    provenance = (FIXTURES / "PROVENANCE.md").read_text(encoding="utf-8")
    for item in iter_real_studies():
        nct = expected_fields(item.study).nct_id
        if FIXTURE_SOURCES.get(nct) == item.source_file:
            fixture = FIXTURES / f"{nct}.txt"
            assert fixture.read_text(encoding="utf-8") == render(item.study), f"re-render {fixture.name}"
            assert f"| {nct}.txt | {item.source_file} |" in provenance


def test_fixture_duplicated_interventions_kept_and_comma_time_frames() -> None:
    record = only_record(FIXTURES / "NCT04646330.txt")
    assert interventions(record) == [("DRUG", "AK104+anlotinib")] * 3
    assert outcomes(record, "primary") == [
        (
            "Objective Response Rate (ORR)",
            "objective response rate per RECIST1.1",
            "through study completion, an average of 1 year",
        )
    ]
    assert len(outcomes(record, "secondary")) == 3
    assert record.detailed_description is None


def test_fixture_three_intervention_types() -> None:
    record = only_record(FIXTURES / "NCT06944470.txt")
    assert [t for t, _ in interventions(record)] == ["DRUG", "PROCEDURE", "RADIATION", "DRUG"]
    assert interventions(record)[0][1].startswith("Paclitaxel + Carboplatin/cisplatin for squamous")


def test_fixture_numbered_summary_and_number_list_time_frames() -> None:
    record = only_record(FIXTURES / "NCT06358118.txt")
    assert record.brief_summary is not None and "\n\nParticipants will:\n\n1. Take" in record.brief_summary
    assert "every day for 6 months；Follow-up" in record.brief_summary
    assert len(record.conditions) == 5
    assert outcomes(record, "primary") == [
        ("HbA1c", "unit：%", "Measured at 0, 3, 6, and 12 months respectively.")
    ]


def test_fixture_empty_secondary_line_then_description() -> None:
    record = only_record(FIXTURES / "NCT06863285.txt")
    assert interventions(record) == [("OTHER", "Educational")]
    assert len(outcomes(record, "primary")) == 2 and outcomes(record, "secondary") == []
    assert record.detailed_description is not None
    assert record.detailed_description.startswith("This is a randomized, pharmacist-led")
    assert record.detailed_description.count("\n\n") == 2


def test_fixture_condition_with_comma_reads_as_two() -> None:
    record = only_record(FIXTURES / "NCT04636775.txt")
    assert record.conditions == ("NSCLC Stage IV", "NSCLC", "Recurrent")  # JSON: "NSCLC, Recurrent"
    assert interventions(record) == [("DIAGNOSTIC_TEST", "Microbiome")]


def test_fixture_measure_only_outcome() -> None:
    record = only_record(FIXTURES / "NCT00410098.txt")
    assert outcomes(record, "primary") == [
        ("prevent exercise induced asthma and improve lung function tests", None, None)
    ]
    assert interventions(record) == [("BEHAVIORAL", "Bikram Yoga")]


def test_fixture_without_interventions_is_rejected() -> None:
    rejected = only_rejected(FIXTURES / "NCT05991206.txt")
    assert rejected.field == "interventions"
    assert "NCT05991206.txt" in rejected.message() and "interventions" in rejected.message()
    assert rejected.raw == (FIXTURES / "NCT05991206.txt").read_text(encoding="utf-8")


# --- edge cases, as small inline records ---------------------------------------------------------

BASIC = "Title\nSummary.\nCancer\nDRUG: a\nM, D, 1 year\nS, 2 years\nDetails.\n"


def test_basic_layout() -> None:
    record = read(BASIC)
    assert (record.title, record.brief_summary, record.conditions) == ("Title", "Summary.", ("Cancer",))
    assert outcomes(record, "primary") == [("M", "D", "1 year")]
    assert outcomes(record, "secondary") == [("S", None, "2 years")]
    assert record.detailed_description == "Details."


def test_multi_paragraph_summary_keeps_its_blank_lines() -> None:
    record = read("T\nPara one.\n\nPara two,\nstill two.\n\n\nPara three.\nC\nDRUG: a\n\n\n")
    assert record.brief_summary == "Para one.\n\nPara two,\nstill two.\n\n\nPara three."


def test_empty_summary_line_is_none() -> None:
    record = read("T\n\nC\nDRUG: a\n")
    assert record.brief_summary is None and record.conditions == ("C",)


def test_empty_conditions_line_is_no_conditions() -> None:
    record = read("T\nS\n\nDRUG: a\nM, 1 year\n")
    assert record.conditions == () and record.brief_summary == "S"


def test_empty_secondary_line_means_no_secondary_outcomes() -> None:
    record = read("T\nS\nC\nDRUG: a\nM, 1 year\n\nDescription.\n")
    assert outcomes(record, "secondary") == [] and record.detailed_description == "Description."


def test_empty_description_line_is_none() -> None:
    assert read("T\nS\nC\nDRUG: a\nM, 1 year\nN, 2 years\n\n").detailed_description is None


@pytest.mark.parametrize(
    "text",
    ["T\nS\nC\nDRUG: a", "T\nS\nC\nDRUG: a\nM, 1 year", "T\nS\nC\nDRUG: a\nM, 1 year\nN, 2 years"],
    ids=["ends-after-interventions", "ends-after-primary", "ends-after-secondary"],
)
def test_absent_trailing_sections_are_empty(text: str) -> None:
    record = read(text)
    assert interventions(record) == [("DRUG", "a")]
    assert record.detailed_description is None
    assert len(record.outcomes) == text.count("year")


def test_description_with_commas_and_line_breaks_is_kept() -> None:
    description = "Arm A: drug, 200 mg, q3w.\n  * indented bullet, kept\n\nLast paragraph, done."
    record = read(f"T\nS\nC\nDRUG: a\nM, 1 year\n\n{description}\n")
    assert record.detailed_description == description


def test_full_width_punctuation_is_kept_and_never_separates() -> None:
    record = read("T\nS\nC\nDRUG: a\n客观缓解率（ORR，研究者评估）, 定义为CR，PR的比例, 12个月（约）\n")
    assert outcomes(record, "primary") == [
        ("客观缓解率（ORR，研究者评估）", "定义为CR，PR的比例", "12个月（约）")
    ]


def test_comma_inside_full_width_brackets_does_not_separate() -> None:
    assert split_outcome("PK（Cmax, AUC）, Plasma levels, Day 1") == (
        "PK（Cmax, AUC）",
        "Plasma levels",
        "Day 1",
    )


def test_unicode_numerals_are_kept() -> None:
    record = read("T phaseⅡ\nA phaseⅠb/Ⅱ study.\nC\nDRUG: a\n")
    assert record.title == "T phaseⅡ" and record.brief_summary == "A phaseⅠb/Ⅱ study."


def test_duplicated_interventions_are_kept_as_written() -> None:
    record = read("T\nS\nC\nDRUG: X|DRUG: X|BIOLOGICAL: X\n")
    assert interventions(record) == [("DRUG", "X"), ("DRUG", "X"), ("BIOLOGICAL", "X")]


def test_crlf_line_ends() -> None:
    assert read(BASIC.replace("\n", "\r\n")) == read(BASIC)


def test_cr_line_ends() -> None:
    assert read(BASIC.replace("\n", "\r")) == read(BASIC)


def test_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + BASIC.encode("utf-8"))
    record = only_record(path)
    assert record.title == "Title"
    assert record.source.checksum == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def test_trailing_blank_lines_are_ignored() -> None:
    assert read(BASIC + "\n \n\t\n\n") == read(BASIC)


def test_unicode_line_separator_is_not_a_line_break() -> None:
    record = read("T\nOne\u2028two\x0cthree.\nC\nDRUG: a\n")
    assert record.brief_summary == "One\u2028two\x0cthree."


def test_surrounding_whitespace_is_stripped_from_fields() -> None:
    record = read("  Title  \n  S  \n C1, C2 \n DRUG:  a  | OTHER: b \n M, 1 year \n")
    assert record.title == "Title" and record.brief_summary == "S"
    assert record.conditions == ("C1", "C2")
    assert interventions(record) == [("DRUG", "a"), ("OTHER", "b")]
    assert outcomes(record, "primary") == [("M", None, "1 year")]


@pytest.mark.parametrize("code", sorted(INTERVENTION_TYPES))
def test_every_intervention_type_code_is_accepted(code: str) -> None:
    assert interventions(read(f"T\nS\nC\n{code}: thing\n")) == [(code, "thing")]


def test_full_width_colon_after_type_code() -> None:
    assert interventions(read("T\nS\nC\nDRUG：a\n")) == [("DRUG", "a")]


def test_intervention_name_may_contain_a_colon() -> None:
    assert interventions(read("T\nS\nC\nOTHER: Standard of care: cisplatin\n")) == [
        ("OTHER", "Standard of care: cisplatin")
    ]


def test_prose_starting_with_a_lower_case_type_word_is_not_the_interventions_line() -> None:
    record = read("T\nDrug: see below.\nOther: more prose.\nC\nDRUG: a\n")
    assert record.brief_summary == "Drug: see below.\nOther: more prose."
    assert record.conditions == ("C",)


def test_conditions_split_at_comma_space_but_not_inside_brackets() -> None:
    assert split_conditions("A, B (x, y), C") == ("A", "B (x, y)", "C")
    assert split_conditions("Tumor,Solid, B") == ("Tumor,Solid", "B")


@pytest.mark.parametrize(
    ("entry", "parts"),
    [
        ("Overall survival", ("Overall survival", None, None)),
        ("ORR, 12 weeks", ("ORR", None, "12 weeks")),
        ("ORR, Baseline, week 8, week 16", ("ORR", None, "Baseline, week 8, week 16")),
        ("ORR, Per RECIST 1.1, 12 months", ("ORR", "Per RECIST 1.1", "12 months")),
        (
            "PFS, Time to progression, or death, whichever first, 2 years",
            ("PFS", "Time to progression, or death, whichever first", "2 years"),
        ),
        ("PK, Levels., Day 1, 8, 15 and 22", ("PK", "Levels.", "Day 1, 8, 15 and 22")),
        (
            "HbA1c, unit：%, Measured at 0, 3, 6, and 12 months",
            ("HbA1c", "unit：%", "Measured at 0, 3, 6, and 12 months"),
        ),
        ("AE, Rate, etc., up to 90 days", ("AE", "Rate, etc.", "up to 90 days")),
        (
            "AUC, Blood levels, Samples at 0.5, 1, 2, 24, 48, 72 hours post-dose",
            ("AUC", "Blood levels", "Samples at 0.5, 1, 2, 24, 48, 72 hours post-dose"),
        ),
        ("FEV1, Spirometry FEV1, 3 weeks", ("FEV1", "Spirometry FEV1", "3 weeks")),
    ],
)
def test_outcome_split_cases(entry: str, parts: tuple[str, str | None, str | None]) -> None:
    assert split_outcome(entry) == parts


def test_doctest_examples_pass() -> None:
    result = doctest.testmod(seed_text)
    assert result.attempted > 0 and result.failed == 0


# --- content sniffing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", [*sorted(SEEDS.glob("*.txt")), FIXTURES / "NCT06358118.txt"], ids=lambda p: p.name
)
def test_looks_like_seed_text_accepts_seed_files(path: Path) -> None:
    assert looks_like_seed_text(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "head",
    [
        "",
        '{"protocolSection": {"identificationModule": {}}}\nDRUG: x\n',
        '[{"protocolSection": {}}]',
        "<?xml version='1.0'?>\n<clinical_study>\n",
        "NCT Number,Study Title,Interventions\nNCT01,T,DRUG: x|DRUG: y\n",
        "Just some prose.\nMore prose.\nDrug: lower case is not a type code.\n",
        "Title\nDRUG: x\n",  # no room for a conditions line
    ],
    ids=["empty", "json-object", "json-array", "xml", "csv", "prose", "too-short"],
)
def test_looks_like_seed_text_rejects_other_content(head: str) -> None:
    assert not looks_like_seed_text(head)


# --- bad input: clear errors naming the file and the field ----------------------------------------


@pytest.mark.parametrize(
    ("content", "field", "says"),
    [
        (b"", "title", "empty"),
        (b"\n \n\r\n", "title", "empty"),
        (b"\nSummary\nC\nDRUG: a\n", "title", "line 1"),
        (b"Title\nSummary\nCancer\n", "interventions", "no interventions line"),
        (b"Title\nS\nC\nDRUG: a|PILL: b\n", "interventions", "entry 2 'PILL: b'"),
        (b"Title\nS\nC\nDRUG: a|chemotherapy\n", "interventions", "entry 2 'chemotherapy'"),
        (b"Title\nS\nC\nDRUG: \n", "interventions", "no name"),
        (b"Title\nDRUG: a\n", "conditions", "no conditions line"),
        (b"Title\nS\nC\nDRUG: a\nM, 1 year\nN, 2 years|\n", "secondary_outcomes", "entry 2"),
        (b"Title\nS\nC\nDRUG: a\n, 1 year\n", "primary_outcomes", "no measure"),
        (b"Title\xff\xfe\nS\nC\nDRUG: a\n", "file", "not UTF-8"),
    ],
    ids=[
        "empty-file",
        "blank-file",
        "no-title",
        "no-interventions-line",
        "unknown-type",
        "entry-without-type",
        "type-without-name",
        "no-conditions-line",
        "empty-outcome-entry",
        "outcome-without-measure",
        "undecodable-bytes",
    ],
)
def test_bad_file_yields_rejected_record_naming_file_and_field(
    tmp_path: Path, content: bytes, field: str, says: str
) -> None:
    path = tmp_path / "bad_seed.txt"
    path.write_bytes(content)
    rejected = only_rejected(path)
    assert rejected.field == field
    assert says in rejected.reason
    message = rejected.message()
    assert "bad_seed.txt" in message and f"field '{field}'" in message
    assert rejected.source == SourceRef("bad_seed.txt", 1, "sha256:" + hashlib.sha256(content).hexdigest())
    assert rejected.raw == content.decode("utf-8", "replace")


def test_read_seed_text_error_names_the_source_and_the_field() -> None:
    with pytest.raises(RecordError) as caught:
        read_seed_text("Title\nSummary\nCancer\n", SourceRef("seed_42.txt"))
    assert caught.value.field == "interventions"
    assert "seed_42.txt" in str(caught.value) and "interventions" in str(caught.value)


def test_read_seed_file_does_not_raise_on_bad_content(tmp_path: Path) -> None:
    paths = []
    for number, content in enumerate([b"", b"\xff", b"T\nS\nC\n", b"T\nS\nC\nPILL: x\n"]):
        paths.append(tmp_path / f"{number}.txt")
        paths[-1].write_bytes(content)
    results = [result for path in paths for result in read_seed_file(path)]
    assert len(results) == 4 and all(isinstance(r, RejectedRecord) for r in results)
