#!/usr/bin/env python3
"""Build the corpus reference vocabularies from the shared reference data.

Writes, next to this script (or to --out):

  municipalities.csv  all 444 Ontario municipalities (414 local + 30 upper tier)
  measures.yaml       the MBNCanada measure catalogue (533 measures)

Inputs (see ../shared/data/SOURCES.md for where they came from):

  <data>/ontario-municipalities.csv
  <data>/mbnc-measures.csv
  <data>/SOURCES.md                  (checked for the stated MPMP correspondence)
  <schema>/service-areas.yaml        (the `mbnc:` lists map program areas to areas)

<data> defaults to ../shared/data relative to the repository root (the parent of
this script's folder). Python 3.11, standard library only. The output depends
only on the inputs: re-running gives byte-identical files.

Usage: python3 schema/build-vocabularies.py [--data DIR] [--out DIR]
                                            [--service-areas FILE] [--quiet]

How `better`/`reason` and `unit` are derived is documented rule by rule below
and in SOURCES.md; every rule is a regular expression over the measure's own
name (plus its MBNC category), and the rule id is written into `reason`.
"""

from __future__ import annotations

import argparse
import collections
import csv
import io
import re
import sys
import unicodedata
from pathlib import Path

SCRIPT_DIR = Path(__file__).resolve().parent
REPO_ROOT = SCRIPT_DIR.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"

EXPECTED_MUNICIPALITIES = 444
EXPECTED_MEASURES = 533
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def fail(msg: str) -> None:
    sys.exit(f"build-vocabularies: error: {msg}")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------------------
# 1. municipalities.csv
# ---------------------------------------------------------------------------

TIER = {"upper-tier": "upper", "lower-tier": "lower", "single-tier": "single"}

# Suffix an upper tier carries when it shares its name with a local municipality.
UPPER_SUFFIX = {
    "regional municipality": "region",
    "county": "county",
    "united counties": "united-counties",
    "district municipality": "district",
}


def english_name(name: str) -> str:
    """The part before " / " of a bilingual StatCan name."""
    return name.split(" / ", 1)[0].strip()


def slug(text: str) -> str:
    """Strip accents, lower-case, runs of non-alphanumerics -> '-', trim."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def build_municipalities(data_dir: Path) -> tuple[list[list[str]], list[tuple]]:
    src = read_csv(data_dir / "ontario-municipalities.csv")
    if len(src) != EXPECTED_MUNICIPALITIES:
        fail(f"ontario-municipalities.csv has {len(src)} rows, expected "
             f"{EXPECTED_MUNICIPALITIES}")

    rows = []
    for r in src:
        tier = TIER.get(r["tier"])
        if tier is None:
            fail(f"unknown tier {r['tier']!r} for {r['id']}")
        region = r["region"].lower()
        if region not in ("northern", "southern"):
            fail(f"unknown region {r['region']!r} for {r['id']}")
        code = r["cd_uid"] if tier == "upper" else r["csd_uid"]
        if not re.fullmatch(r"\d{4}" if tier == "upper" else r"\d{7}", code):
            fail(f"bad StatCan code {code!r} for {r['id']}")
        if not re.fullmatch(r"\d+", r["population_2021"]):
            fail(f"bad population_2021 {r['population_2021']!r} for {r['id']}")
        rows.append({
            "src": r,
            "name": english_name(r["name"]),
            "status": r["status"],
            "tier": tier,
            "region": region,
            "population": r["population_2021"],
            "statcan_code": code,
        })

    # ids: bare slug unless the English name is shared.
    by_name = collections.defaultdict(list)
    for row in rows:
        by_name[row["name"]].append(row)
    pairs = []
    for name, group in sorted(by_name.items()):
        base = slug(name)
        if len(group) == 1:
            group[0]["id"] = base
            continue
        if len(group) != 2:
            fail(f"name {name!r} is shared by {len(group)} municipalities")
        uppers = [g for g in group if g["tier"] == "upper"]
        if len(uppers) == 1:
            keep = next(g for g in group if g["tier"] != "upper")
            other = uppers[0]
            suffix = UPPER_SUFFIX.get(other["status"])
            if suffix is None:
                fail(f"no id suffix for upper-tier status {other['status']!r}")
        elif not uppers:
            keep, other = sorted(group, key=lambda g: -int(g["population"]))
            if keep["population"] == other["population"]:
                fail(f"cannot break the tie between the two {name!r}")
            suffix = slug(other["status"])
        else:
            fail(f"two upper tiers named {name!r}")
        keep["id"] = base
        other["id"] = f"{base}-{suffix}"
        pairs.append((name, keep["id"], keep["status"], other["id"],
                      other["status"]))

    ids = [row["id"] for row in rows]
    if len(set(ids)) != len(ids):
        dupes = sorted(k for k, v in collections.Counter(ids).items() if v > 1)
        fail(f"duplicate ids: {dupes}")
    bad = [i for i in ids if not ID_RE.match(i)]
    if bad:
        fail(f"ids not matching {ID_RE.pattern}: {bad}")
    if len(ids) != EXPECTED_MUNICIPALITIES:
        fail(f"{len(ids)} ids, expected {EXPECTED_MUNICIPALITIES}")

    upper_by_cd = {row["src"]["cd_uid"]: row["id"]
                   for row in rows if row["tier"] == "upper"}
    if len(upper_by_cd) != 30:
        fail(f"{len(upper_by_cd)} upper tiers, expected 30")
    for row in rows:
        cd = row["src"]["upper_tier_cd_uid"]
        if row["tier"] == "lower":
            if cd not in upper_by_cd:
                fail(f"{row['id']}: upper_tier_cd_uid {cd!r} is not an upper tier")
            row["upper_tier"] = upper_by_cd[cd]
        else:
            if cd:
                fail(f"{row['id']} is {row['tier']} but has upper_tier_cd_uid {cd}")
            row["upper_tier"] = ""

    cols = ["id", "name", "status", "tier", "upper_tier", "region",
            "population", "statcan_code"]
    table = [[row[c] for c in cols] for row in sorted(rows, key=lambda r: r["id"])]
    return [cols] + table, pairs


def render_csv(table: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerows(table)
    return buf.getvalue()


# ---------------------------------------------------------------------------
# 2. measures.yaml
# ---------------------------------------------------------------------------

def read_service_areas(path: Path) -> dict[str, str]:
    """MBNC program_area -> service-area id, from the `mbnc:` flow lists.

    A deliberately small reader for the layout of service-areas.yaml (list of
    mappings, `mbnc: [a, b]` on one line). Cross-checked against PyYAML below
    when that is importable.
    """
    mapping: dict[str, str] = {}
    current = None
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = re.match(r"^- id:\s*(\S+)\s*$", line)
        if m:
            current = m.group(1)
            continue
        m = re.match(r"^\s+mbnc:\s*\[(.*)\]\s*$", line)
        if m:
            if current is None:
                fail(f"{path}:{lineno}: mbnc list before any id")
            for item in (s.strip() for s in m.group(1).split(",")):
                if not item:
                    continue
                if item in mapping:
                    fail(f"{path}:{lineno}: MBNC program area {item!r} mapped to "
                         f"both {mapping[item]} and {current}")
                mapping[item] = current
        elif re.match(r"^\s+mbnc:", line):
            fail(f"{path}:{lineno}: mbnc is not a one-line [..] list")
    try:
        import yaml  # type: ignore
    except ImportError:
        return mapping
    check: dict[str, str] = {}
    for area in yaml.safe_load(path.read_text(encoding="utf-8")):
        for item in area.get("mbnc") or []:
            check[str(item)] = area["id"]
    if check != mapping:
        fail(f"{path}: line reader and PyYAML disagree on the mbnc lists")
    return mapping


CATEGORY = {
    "Efficiency": "efficiency",
    "Service Level": "service-level",
    "Community Impact": "community-impact",
    "Customer Service": "customer-service",
    "Statistic": "statistic",
    "Economic": "economic",
}

# --- direction rules --------------------------------------------------------
# Ordered; the first rule whose category set (None = any) and name pattern
# match decides. Direction None means "deliberately no direction"; those rules
# exist so that the audit trail says why a plausible-looking measure was left
# without one. Measures no rule matches get no direction either.

Rule = collections.namedtuple("Rule", "rule_id categories pattern better reason")

COST_DENOM_NOT_OUTPUT = re.compile(
    r"capita|population|household|FTE|staff member|"
    r"municipal operating|operating expenses|expenditures|total municipal|legal cost",
    re.I)

DIRECTION_RULES = [
    Rule("statistic", {"Statistic", "Economic"}, r".", None,
         "Statistics and economic context have no performance direction."),
    # -- ambiguous on purpose (no direction) --
    Rule("ambiguous-bylaw-complaint-volume", None,
         r"(?i)^Number of .*By-?law Complaints? .*per 100,000 Population", None,
         "Volume of by-law complaints from the public is demand, not service "
         "quality."),
    Rule("ambiguous-off-cycle", None, r"Off-Cycle", None,
         "Off-cycle payments per FTE are rework, not plain output."),
    Rule("ambiguous-youth-cleared", None, r"Youths 'Cleared", None,
         "More youths cleared can mean more crime or more effective policing."),
    Rule("ambiguous-bad-debt-allowance", None, r"Allowance for Bad Debt", None,
         "An allowance is a provisioning choice; a prudent one can be larger."),
    # -- higher is better --
    Rule("compliance", None, r"\bPercent of Compliance\b", "higher",
         "Rule compliance: a share of cases in compliance with a by-law or "
         "standard, so more compliance is better."),
    Rule("diverted", None, r"^Percent of .*\bDiverted\b", "higher",
         "Rule diverted: a share of waste diverted from disposal, so diverting "
         "more is better."),
    Rule("on-time", None,
         r"^Percent of .*\b(Completed Within|Paid Within|Meeting Timeline)", "higher",
         "Rule on-time: a share of requests, invoices or applications handled "
         "within the stated time, so more on time is better."),
    Rule("condition-good", None, r"Condition is Rated as Good to Very Good", "higher",
         "Rule condition-good: a share of the asset rated good to very good, so "
         "a larger share in good condition is better."),
    Rule("cost-recovery", None,
         r"Recovery of .*Costs|Revenue to Cost Ratio|R/C Ratio|"
         r"User Fees as a Percent of Operating Costs", "higher",
         "Rule cost-recovery: revenue recovered against cost, so recovering "
         "more of the cost is better."),
    Rule("clearance-rate", None, r"Clearance Rate", "higher",
         "Rule clearance-rate: the share of reported crimes solved, so a higher "
         "clearance rate is better."),
    Rule("response-standard-met", None, r"^Response Time Performance Standard",
         "higher",
         "Rule response-standard-met: per its definition the result is the "
         "percentage of calls reached within the time standard, so a higher "
         "share is better."),
    Rule("survival", None, r"^Return of Pulse", "higher",
         "Rule survival: the share of cardiac-arrest patients arriving at "
         "hospital with a pulse, so more is better."),
    Rule("output-per-staff", {"Efficiency"},
         r"^(Number of .*|Goods & Services Purchased .*) per "
         r"(Accounts Payable FTE|Payroll FTE|Purchasing Staff)$", "higher",
         "Rule output-per-staff: an efficiency measure of work handled per "
         "staff member, so more output from the same staff is better."),
    # -- lower is better --
    Rule("cost-per-output", {"Efficiency"}, r"\bCosts?\b.* per ", "lower",
         "Rule cost-per-output: a cost per unit of service delivered, so the "
         "same output for less money is better."),
    Rule("expense-ratio", None, r"Management Expense Ratio", "lower",
         "Rule expense-ratio: fund management cost per dollar managed, so lower "
         "fees for the same portfolio are better."),
    Rule("consumption-per-unit", None,
         r"Consumption\b.* per |Litres of Fuel Consumed per ", "lower",
         "Rule consumption-per-unit: energy or fuel used per unit of floor area "
         "or distance, so using less for the same work is better."),
    Rule("time-to-resolve", None,
         r"^Average Time to Resolve|^Average Collection Period", "lower",
         "Rule time-to-resolve: days taken to close a case or collect a bill, "
         "so fewer days is better."),
    Rule("main-breaks-backups", None, r"Main Breaks|Main Backups", "lower",
         "Rule main-breaks-backups: failures of water or sewer mains, so fewer "
         "is better."),
    Rule("boil-water", None, r"Boil Water Advisor", "lower",
         "Rule boil-water: days under a boil-water advisory, so fewer is "
         "better."),
    Rule("fire-harm", None, r"Fatalities|Injuries|Fires with Losses", "lower",
         "Rule fire-harm: fire deaths, injuries or fires causing losses, so "
         "fewer is better."),
    Rule("collisions", None, r"Collision Rate", "lower",
         "Rule collisions: road collisions per vehicle km, so fewer is better."),
    Rule("bypass", None, r"Bypassed Treatment", "lower",
         "Rule bypass: a share of wastewater released untreated, so less is "
         "better."),
    Rule("time-lost", None,
         r"Time Lost to Hospital Turnaround|Time in Excess of Standard", "lower",
         "Rule time-lost: ambulance time lost waiting at hospital, so less is "
         "better."),
    Rule("arrears", None,
         r"Tax Arrears|Outstanding Over 90 Days|Bad Debt Write Off|"
         r"Tax Receivable as a Percent", "lower",
         "Rule arrears: money billed but not collected or written off, so less "
         "is better."),
    Rule("late-payment", None, r"Invoices Paid 60 Days or Greater", "lower",
         "Rule late-payment: a share of invoices paid late, so fewer is "
         "better."),
    Rule("crime", {"Community Impact"},
         r"Criminal (\(Non-Traffic\) )?Code|Crime Severity Index|Violent Crime|"
         r"Crimes? Against Property|Property Crime", "lower",
         "Rule crime: a rate, change or severity index of reported crime, so "
         "less crime is better."),
]
_compiled = [(r, re.compile(r.pattern)) for r in DIRECTION_RULES]


def direction(name: str, category: str) -> tuple[str | None, str | None, str]:
    """(better, reason, rule_id); better/reason None when not clear."""
    for rule, rx in _compiled:
        if rule.categories is not None and category not in rule.categories:
            continue
        if not rx.search(name):
            continue
        if rule.rule_id == "cost-per-output":
            denom = re.split(r" per ", name, maxsplit=1, flags=re.I)[1]
            if COST_DENOM_NOT_OUTPUT.search(denom):
                continue  # cost per resident/staff/spend: not a unit of output
        if rule.better is None:
            return None, None, rule.rule_id
        return rule.better, rule.reason, rule.rule_id
    return None, None, "no-rule"


# --- units --------------------------------------------------------------------

MONEY = re.compile(r"\b(Costs?|Revenue(?! Vehicle)|Expenses|Dollars?|Grants|Levy|"
                   r"Construction Value|Purchases|Goods & Services Purchased|"
                   r"Property Assessment)\b")
PHYSICAL = [  # (pattern at the start of the name, unit word, add "per ...")
    (r"(Total )?Tonnes of ", "tonnes", True),
    (r"Megalitres of ", "megalitres", True),
    (r"Water Use \(Megalitres Distributed\)", "megalitres", True),
    (r"(Number of )?Hectares of ", "hectares", True),
    (r"Km\.? of |KM of ", "km", True),
    (r"Square Metres of ", "square metres", True),
    (r"Gross Square Footage of ", "square feet", True),
    (r"Total Litres of ", "litres", True),
    (r"[A-Za-z ]*Consumption \(kWh\)|Natural Gas Consumption in Equivalent kwh|"
     r"Total Equivalent kWh Energy Consumption", "kWh", True),
    (r"Number of (Paved |Unpaved )?Lane K[Mm]\b", "lane km", True),
    (r"Number of Vehicle Km", "vehicle km", True),
    (r"Number of Hours\b|Number of In-house Lawyer Hours", "hours", False),
    (r"Number of Household Days\b", "household days", False),
    (r"Number of Days\b", "days", False),
    (r"(Override )?Geographic Area \((?i:Sq\.? ?Km\.?)\)", "sq km", False),
    (r"EMS (Weighted )?(Vehicle In-Service|In-Vehicle Service) Hours [-–]|"
     r"Service Hours [-–]", "hours", False),
    (r"(Override - )?Total (Budgeted|Supported) Municipal FTE$|"
     r"Number of (?!.* per )[A-Za-z ]*FTE$", "FTE", False),
]
_physical = [(re.compile("^(?:" + p + ")"), u, per) for p, u, per in PHYSICAL]
# Word parts kept as written: acronyms and codes (HQ, ICI, FTE, PIL, T4's, kWh).
KEEP_CASE = re.compile(r"^(?=.*[A-Z])[A-Z0-9&']{2,}s?$|^kWh$")


def clean_phrase(text: str) -> str:
    """Lower-case a phrase of a measure name, keeping acronyms (HQ, ICI, FTE)."""
    text = re.sub(r"\s*\([^)]*\)", "", text)            # drop parentheticals
    text = re.split(r" - | – |:", text)[0]               # drop " - qualifier"
    text = re.sub(r"\s+", " ", text).strip().rstrip(".")
    words = []
    for w in text.split(" "):
        if w.upper() in ("KM", "KM.", "ALL"):
            words.append(w.lower().rstrip("."))
            continue
        parts = re.split(r"([-/])", w)     # "Plate-Holder", "Licenses/Registrations"
        words.append("".join(p if KEEP_CASE.match(p) else p.lower() for p in parts))
    return " ".join(words)


def per_split(name: str) -> tuple[str, str] | None:
    """Split at the last " per " (FPUR355 has two)."""
    parts = re.split(r" per (?!.* per )", name, maxsplit=1, flags=re.I)
    return (parts[0], parts[1]) if len(parts) == 2 else None


def unit_of(name: str) -> tuple[str | None, str]:
    """(unit, rule) derived from the measure name; unit None if not stated."""
    if re.search(r"\bpercent(age)?\b|%", name, re.I):
        return "%", "percent"
    if re.search(r"\bRatio\b", name):
        return "ratio", "ratio"
    if re.search(r"\bSeverity Index$", name):
        return "index", "index"
    if re.search(r"\(Days\)$", name):
        return "days", "days"
    if re.search(r"\(years\)$|Average Age in Years", name, re.I):
        return "years", "years"
    m = re.search(r"\(((?!as )[A-Za-z]+ per [A-Za-z ]+)\)", name)
    if m:                                   # "(Collisions per Million Vehicle Km)"
        return clean_phrase(m.group(1)), "stated"
    for rx, u, with_per in _physical:
        if rx.search(name):
            ps = per_split(name) if with_per else None
            return (f"{u} per {clean_phrase(ps[1])}" if ps else u), "physical"
    ps = per_split(name)
    if MONEY.search(ps[0] if ps else name) and not name.startswith("Number of"):
        if ps:
            denom = clean_phrase(ps[1])
            if re.search(r"\bcosts?\b", denom) and not denom.startswith("$"):
                return None, "money-ratio"           # cost per cost: a ratio
            return f"$ per {denom}", "money-per"
        return "$", "money"
    lead = r"^(?:Annual |Average |Total |Gross |Reported )*(?:Number of |Rate of )?"
    if ps and (re.match(r"^(?:Annual |Average |Total |Gross |Reported |"
                        r"Number of |Rate of )", ps[0]) or
               re.search(r"per (Capita|[\d,]+ (Population|Households))\b", name,
                         re.I)):
        head = re.sub(lead, "", ps[0])
        return f"{clean_phrase(head)} per {clean_phrase(ps[1])}", "count-per"
    if re.match(r"^(Total )?Number of |^(Override )?(Population|Households)\b"
                r"(?! Density)", name):
        return "count", "count"
    return None, "none"


# --- YAML ---------------------------------------------------------------------

def yq(s: str) -> str:
    """A YAML double-quoted scalar."""
    out = []
    for c in s:
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\x{ord(c):02x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def plain(s: str) -> str:
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", s):
        fail(f"{s!r} cannot be written as a plain YAML scalar")
    return s


def collapse(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def stated_mpmp(data_dir: Path) -> dict[str, str]:
    """MBNC -> MPMP correspondences that a source states in so many words.

    Only one is stated: the data's SOURCES.md says GENG301 "(governance costs
    as % of operating costs, which is MPMP 1.1a)". Check the text is still
    there rather than trusting this table blindly.
    """
    text = (data_dir / "SOURCES.md").read_text(encoding="utf-8")
    stated = {"GENG301": "1.1a"}
    for mbnc, mpmp in stated.items():
        if not re.search(re.escape(mbnc) + r" \([^)]*which is MPMP " +
                         re.escape(mpmp) + r"\)", text):
            fail(f"SOURCES.md no longer states {mbnc} = MPMP {mpmp}")
    return stated


def build_measures(data_dir: Path, areas_path: Path):
    src = read_csv(data_dir / "mbnc-measures.csv")
    if len(src) != EXPECTED_MEASURES:
        fail(f"mbnc-measures.csv has {len(src)} rows, expected {EXPECTED_MEASURES}")
    area_of = read_service_areas(areas_path)
    unmapped = sorted({r["program_area"] for r in src} - set(area_of))
    if unmapped:
        fail(f"MBNC program areas with no service area in {areas_path}: {unmapped}")
    mpmp = stated_mpmp(data_dir)

    ids = [r["measure_number"] for r in src]
    if len(set(ids)) != len(ids):
        fail("duplicate measure_number in mbnc-measures.csv")
    for k in mpmp:
        if k not in ids:
            fail(f"stated MPMP correspondence for unknown measure {k}")

    records, audit = [], []
    for r in sorted(src, key=lambda r: r["measure_number"]):
        mid = r["measure_number"]
        cat = r["measure_category"]
        if cat not in CATEGORY:
            fail(f"{mid}: unknown measure_category {cat!r}")
        name = collapse(r["measure_name"])
        better, reason, rule = direction(name, cat)
        unit, unit_rule = unit_of(name)
        rec = {
            "id": mid,
            "name": name,
            "area": area_of[r["program_area"]],
            "program": r["program_area"],
            "category": CATEGORY[cat],
        }
        if unit is not None:
            rec["unit"] = unit
        if better is not None:
            rec["better"] = better
            rec["reason"] = reason
        for key, col in (("numerator", "numerator_definition"),
                         ("denominator", "denominator_definition")):
            text = collapse(r[col])
            if text and text.upper() != "N/A":
                rec[key] = text
        try:
            first = int(r["first_fiscal_year_in_data"])
            last = int(r["last_fiscal_year_in_data"])
            reporting = int(r["n_municipalities_reporting"])
        except ValueError:
            fail(f"{mid}: bad fiscal years or reporting count")
        rec["years"] = [first, last]
        rec["reporting"] = reporting
        if mid in mpmp:
            rec["mpmp"] = mpmp[mid]
        records.append(rec)
        audit.append((mid, cat, rule, better, unit_rule, unit, name))
    return records, audit


def render_yaml(records: list[dict]) -> str:
    out = [
        "# MBNCanada measure catalogue. Generated by build-vocabularies.py from",
        "# ../shared/data/mbnc-measures.csv; do not edit by hand. See SOURCES.md.",
    ]
    for rec in records:
        out.append(f"- id: {plain(rec['id'])}")
        out.append(f"  name: {yq(rec['name'])}")
        out.append(f"  area: {plain(rec['area'])}")
        out.append(f"  program: {yq(rec['program'])}")
        out.append(f"  category: {plain(rec['category'])}")
        if "unit" in rec:
            out.append(f"  unit: {yq(rec['unit'])}")
        if "better" in rec:
            out.append(f"  better: {plain(rec['better'])}")
            out.append(f"  reason: {yq(rec['reason'])}")
        for key in ("numerator", "denominator"):
            if key in rec:
                out.append(f"  {key}: {yq(rec[key])}")
        out.append(f"  years: [{rec['years'][0]}, {rec['years'][1]}]")
        out.append(f"  reporting: {rec['reporting']}")
        if "mpmp" in rec:
            out.append(f"  mpmp: {yq(rec['mpmp'])}")
    return "\n".join(out) + "\n"


def verify_yaml(text: str, records: list[dict]) -> bool:
    try:
        import yaml  # type: ignore
    except ImportError:
        return False
    loaded = yaml.safe_load(text)
    if loaded != records:
        for a, b in zip(loaded, records):
            if a != b:
                fail(f"measures.yaml does not round-trip through PyYAML: {a} != {b}")
        fail("measures.yaml does not round-trip through PyYAML")
    return True


# ---------------------------------------------------------------------------

def write_if_changed(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return
    path.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA,
                    help=f"reference data folder (default: {DEFAULT_DATA})")
    ap.add_argument("--out", type=Path, default=SCRIPT_DIR,
                    help="where to write municipalities.csv and measures.yaml "
                         "(default: this script's folder)")
    ap.add_argument("--service-areas", type=Path,
                    default=SCRIPT_DIR / "service-areas.yaml",
                    help="service-areas.yaml with the mbnc: lists")
    ap.add_argument("--audit", action="store_true",
                    help="print the rule that fired for every measure")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)

    if not (args.data / "ontario-municipalities.csv").is_file():
        fail(f"no ontario-municipalities.csv in {args.data} (use --data)")

    table, pairs = build_municipalities(args.data)
    records, audit = build_measures(args.data, args.service_areas)
    yaml_text = render_yaml(records)
    parsed = verify_yaml(yaml_text, records)
    corpus_measures = SCRIPT_DIR / "corpus-measures.yaml"
    if corpus_measures.is_file():
        yaml_text += "\n" + corpus_measures.read_text(encoding="utf-8")

    args.out.mkdir(parents=True, exist_ok=True)
    write_if_changed(args.out / "municipalities.csv", render_csv(table))
    write_if_changed(args.out / "measures.yaml", yaml_text)

    if args.audit:
        for mid, cat, rule, better, unit_rule, unit, name in audit:
            print(f"{mid}\t{cat}\t{rule}\t{better or '-'}\t{unit_rule}\t"
                  f"{unit or '-'}\t{name}")
    if not args.quiet:
        err = sys.stderr
        print(f"municipalities.csv: {len(table) - 1} rows", file=err)
        for name, kid, kst, oid, ost in pairs:
            print(f"  shared name {name!r}: {kid} ({kst}), {oid} ({ost})", file=err)
        dirs = collections.Counter(b or "none" for _, _, _, b, _, _, _ in audit)
        print(f"measures.yaml: {len(records)} measures; better: "
              f"lower {dirs['lower']}, higher {dirs['higher']}, "
              f"none {dirs['none']}; with unit "
              f"{sum(1 for r in records if 'unit' in r)}; PyYAML check: "
              f"{'passed' if parsed else 'skipped (not importable)'}", file=err)
        rules = collections.Counter(rule for _, _, rule, _, _, _, _ in audit)
        print("  rules fired: " + ", ".join(f"{k} {v}" for k, v in
                                            sorted(rules.items())), file=err)
    return 0


if __name__ == "__main__":
    sys.exit(main())
