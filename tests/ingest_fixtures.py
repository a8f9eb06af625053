"""Small SYNTHETIC fixtures in each publisher's layout, for the ingest unit tests.

The values are made up to exercise parsing and validation; they are not real scores.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

CPI_HEADER = ["Country / Territory", "ISO3", "Region"]
for _y in (2023, 2022):
    CPI_HEADER += [f"CPI score {_y}", f"Rank {_y}", f"Sources {_y}", f"Standard error {_y}"]
CPI_ROWS = [
    ["Kazakhstan", "KAZ", "ECA", 39, 93, 10, 1.5, 36, 101, 10, 1.6],
    ["Denmark", "DNK", "WE/EU", 90, 1, 8, 1.2, 90, 1, 8, 1.1],
    ["Kosovo", "KSV", "ECA", 41, 83, 6, 2.0, 41, 84, 6, 2.1],
]


def write_cpi(path: Path, rows: list[list] | None = None, header: list[str] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "CPI Timeseries 2012 - 2023"
    ws.append(["CPI 2023 (synthetic test fixture)"])
    ws.append([])
    ws.append([])
    ws.append(header or CPI_HEADER)
    for r in rows if rows is not None else CPI_ROWS:
        ws.append(r)
    wb.save(path)
    return path


FIW_HEADER = [
    "Country/Territory",
    "Region",
    "C/T",
    "Edition",
    "Status",
    "PR",
    "CL",
    "C",
    "C3",
    "Total",
]
FIW_ROWS = [
    ["Kazakhstan", "Eurasia", "c", 2024, "NF", 5, 18, 2, 0, 23],
    ["Norway", "Europe", "c", 2024, "F", 40, 60, 12, 4, 100],
    ["Abkhazia", "Eurasia", "t", 2024, "PF", 17, 22, 4, 1, 39],
    ["Eritrea", "Africa", "c", 2024, "NF", -3, 6, 0, 0, 3],
]


def write_fiw(path: Path, rows: list[list] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "FIW13-24"
    ws.append(["Freedom in the World (synthetic test fixture)"])
    ws.append(FIW_HEADER)
    for r in rows if rows is not None else FIW_ROWS:
        ws.append(r)
    wb.save(path)
    return path


WGI_TEXT = (
    "\ufeffcodeindyr,code,countryname,year,indicator,estimate,stddev,nsource,pctrank,pctranklower,pctrankupper\n"
    "KAZcc2023,KAZ,Kazakhstan,2023,cc,-0.5,0.12,10,30.1,20,40\n"
    "ROMcc2023,ROM,Romania,2023,cc,0.2,0.14,10,60.0,50,70\n"
    "JEYcc2023,JEY,Jersey,2023,cc,..,..,..,..,..,..\n"
)

OBS_TEXT = (
    "country_code,year,budget_transparency_score,supreme_audit_oversight_score,oversight_score,"
    "legislative_oversight_score,public_participation_score\n"
    "KAZ,2021,60.5,50,55,40,20\n"
    "GEO,2021,87,90,85,80,30\n"
)

EGOV_2024_TEXT = (
    "Survey Year,Country,Rank,E_Index,E_Participation,Online_Service,Human_Capital,Tele_Infra,Region\n"
    "2024,Kazakhstan ,24,0.9,0.8,0.9,0.85,0.9,Asia\n"
    "2024,Georgia (Country) ,50,0.7,0.6,0.7,0.8,0.7,Asia\n"
)

WJP_COLS = [
    "Country",
    "Year",
    "Country_year",
    "Country Code",
    "Region",
    "WJP Rule of Law Index: Overall Score",
    "Factor 2: Absence of Corruption",
    "Factor 3: Open Government",
    "3.1. Publicized laws and government data",
    "3.2 Right to information",
    "3.3 Civic participation",
    "3.4 Complaint mechanisms",
]
WJP_TEXT = (
    ",".join(WJP_COLS) + "\n"
    "Kazakhstan,2017-2018,Kazakhstan_2017-2018,KAZ,EECA,0.5,0.5,0.45,0.4,0.5,0.4,0.5\n"
    "Kazakhstan,2024,Kazakhstan_2024,KAZ,EECA,0.52,0.5,0.44,0.4,0.5,0.4,0.5\n"
)

POP_TEXT = (
    "date,region,item_code,item_name,value,transformation\n"
    "2023-12-31,AST,ALL,ALL,1400000.0,level\n"
    "2023-12-31,ZKO,ALL,ALL,690000.0,level\n"
    "2023-12-31,national,ALL,ALL,20000000.0,level\n"
)
