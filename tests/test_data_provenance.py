"""The real records copied into tests/data are the unchanged files their README names."""

from __future__ import annotations

import hashlib

import pytest

from paths import DATA

SHA256 = {
    "ctgov/csv_v2export_anand_1000studies.csv.gz": "ab995ffa0cfcfbe2d3dc6f63735a024747fb6710f5daba4186c023a7998e325e",  # noqa: E501
    "ctgov/csv_v2export_urology_ED_635studies.csv.gz": "7d6b6ffb62ebc3c5c31dce9c244f585506dfa77ffc6dff5e3bcc3ad7924e6043",  # noqa: E501
    "ctgov/v2json_urology_ED_ctg-studies.json.zip": "067f9060d816e34b26520c115592a050f666f358343755239375c327fd7c23ba",  # noqa: E501
    "ctgov/v2json_aact_fixtures.tar.gz": "1e51fa9dc58f0d818e168911cf135d56bd591c896305d4b9958d876c56c282b8",
    "ctgov/v2json_jinash_ctg-studies.json.gz": "02385f3917c3237be2aa23ae479a98a6771d65eaf8ea0f5666907cc8c1df2983",  # noqa: E501
    "ctgov/v2json_nsclcbench_ctg-studies.json.gz": "2dc3ec1c06350e4c23d4fc7caba8a7494ae96382f8d14cdb5f012c9715ed25f4",  # noqa: E501
    "ctgov/v2json_scampbe3_ctg-studies.json.gz": "8a4a007ad06dde3eed2594cf76191173ddedde0bf96ac851ee22dd17ffdb3394",  # noqa: E501
    "ctgov/v2json_vsuptl_ctg-studies.json.gz": "6350fa741ed419ba30b645ddfa50b72bad77b83227a84c60256b412d7d3d543f",  # noqa: E501
}


@pytest.mark.parametrize("name", sorted(SHA256))
def test_data_file_is_unchanged(name: str) -> None:
    assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == SHA256[name]
    assert name.split("/")[-1] in (DATA / "ctgov" / "README.md").read_text()
