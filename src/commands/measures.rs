//! `mkn import measures`, `mkn measures` and `mkn measure`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use crate::cli::{ImportMeasuresArgs, MeasureArgs, MeasuresArgs, MeasuresCommand};
use crate::clock::Date;
use crate::corpus::Corpus;
use crate::corpus::vocab::{Measure, Municipality, Table};
use crate::diagnostic::{Severity, suggestion};
use crate::error::{Error, ExitStatus};
use crate::measures::data::{Dataset, Observation};
use crate::measures::import::{self, Columns};
use crate::measures::names::NameMap;
use crate::measures::stats;
use crate::output::measures::{
    CatalogueRow, ImportSummary, MeasureDetail, MeasureView, Placement, Ranked,
};
use crate::output::{self, ColorChoice, Style};

/// `mkn import measures FILE`.
pub fn import(
    corpus: &Corpus,
    args: &ImportMeasuresArgs,
    color: ColorChoice,
) -> Result<ExitStatus, Error> {
    let vocab = corpus.vocab()?;
    let registry = vocab.municipalities.as_ref().ok_or_else(|| {
        Error::Usage("the corpus declares no municipality registry to map names to".into())
    })?;
    let name = match &args.name {
        Some(name) => name.clone(),
        None => args
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default(),
    };
    let folder = &corpus.config.data.measures;
    let target = import::target(&corpus.root, folder, &name)?;
    if target.exists() && !args.replace {
        return Err(Error::Usage(format!(
            "{} exists; pass --replace to replace it",
            folder.join(format!("{name}.csv")).display()
        )));
    }
    let mut names = NameMap::new(registry, args.prefer);
    if let Some(map) = &args.map {
        names = names.with_mapping_file(map)?;
    }
    let columns = Columns {
        municipality: args.municipality_column.clone(),
        measure: args.measure_column.clone(),
        year: args.year_column.clone(),
        value: args.value_column.clone(),
        numerator: args.numerator_column.clone(),
        denominator: args.denominator_column.clone(),
    };
    let rules = crate::measures::data::Rules {
        vocab,
        last_year: Date::today().year as i32,
    };
    let imported = import::read(&args.file, &args.file, &columns, &names, &rules)?;
    let written = !imported.observations.is_empty();
    if written {
        import::write(&target, &imported.observations)?;
    }
    let (municipalities, measures) = import::coverage(&imported.observations);
    let bad_rows = imported
        .problems
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let summary = ImportSummary {
        target: written.then(|| folder.join(format!("{name}.csv"))),
        imported: &imported,
        municipalities,
        measures,
    };
    let mut out = super::stdout();
    output::measures::write_import(&mut out, &summary, Style::stdout(color.for_stdout()))?;
    out.flush()?;
    Ok(if bad_rows > 0 || !written {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

/// Loads the reported values (of one measure, or all); rows `mkn check`
/// would report are left out here.
fn dataset(corpus: &Corpus, only: Option<&str>) -> Result<Dataset, Error> {
    Ok(crate::measures::load(corpus, Date::today().year, only)?.0)
}

fn catalogue_of(corpus: &Corpus) -> Result<&Table<Measure>, Error> {
    corpus.vocab()?.measures.as_ref().ok_or_else(|| {
        Error::Usage("the corpus declares no measures vocabulary (mkn.toml [vocabularies])".into())
    })
}

fn find_measure<'a>(measures: &'a Table<Measure>, id: &str) -> Result<&'a Measure, Error> {
    measures.get(id).ok_or_else(|| {
        let hint = suggestion(id, measures.ids()).map_or_else(String::new, |h| format!("; {h}"));
        Error::Usage(format!("`{id}` is not a known measure{hint}"))
    })
}

/// `mkn measures [--area A] [QUERY]` and `mkn measures show ID`.
pub fn catalogue(
    corpus: &Corpus,
    args: &MeasuresArgs,
    color: ColorChoice,
) -> Result<ExitStatus, Error> {
    let measures = catalogue_of(corpus)?;
    let style = Style::stdout(color.for_stdout());
    let mut out = super::stdout();
    if let Some(MeasuresCommand::Show { id, format }) = &args.command {
        let measure = find_measure(measures, id)?;
        let data = dataset(corpus, Some(&measure.id))?;
        let values: Vec<&Observation> = data.of_measure(&measure.id).collect();
        let years: BTreeSet<i32> = values.iter().map(|o| o.year).collect();
        let detail = MeasureDetail {
            measure,
            municipalities: values
                .iter()
                .map(|o| o.municipality.as_str())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .map(str::to_string)
                .collect(),
            values: values.len(),
            years: years.into_iter().collect(),
        };
        output::measures::write_detail(&mut out, &detail, *format, style)?;
        out.flush()?;
        return Ok(ExitStatus::Success);
    }
    if let Some(area) = &args.area {
        corpus.vocab()?.area(area)?;
    }
    let data = dataset(corpus, None)?;
    let words: Vec<String> = args
        .query
        .iter()
        .flat_map(|q| q.split_whitespace())
        .map(str::to_lowercase)
        .collect();
    let mut reporting: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for o in &data.observations {
        reporting
            .entry(o.measure.as_str())
            .or_default()
            .insert(o.municipality.as_str());
    }
    let rows: Vec<CatalogueRow> = measures
        .iter()
        .filter(|m| {
            args.area
                .as_ref()
                .is_none_or(|a| m.area.as_ref() == Some(a))
        })
        .filter(|m| {
            let text = [
                Some(&m.id),
                Some(&m.name),
                m.unit.as_ref(),
                m.numerator.as_ref(),
                m.denominator.as_ref(),
            ]
            .into_iter()
            .flatten()
            .map(|s| s.to_lowercase())
            .collect::<Vec<_>>()
            .join(" ");
            words.iter().all(|w| text.contains(w.as_str()))
        })
        .map(|m| CatalogueRow {
            id: m.id.clone(),
            name: m.name.clone(),
            area: m.area.clone(),
            unit: m.unit.clone(),
            better: m.better,
            reporting: reporting.get(m.id.as_str()).map_or(0, BTreeSet::len),
        })
        .collect();
    output::measures::write_catalogue(&mut out, &rows, args.format, style)?;
    out.flush()?;
    Ok(ExitStatus::Success)
}

/// `mkn measure ID`: distribution, ranking, and one municipality against its peers.
pub fn measure(
    corpus: &Corpus,
    args: &MeasureArgs,
    color: ColorChoice,
) -> Result<ExitStatus, Error> {
    let measures = catalogue_of(corpus)?;
    let measure = find_measure(measures, &args.id)?;
    let registry = corpus
        .vocab()?
        .municipalities
        .as_ref()
        .ok_or_else(|| Error::Usage("the corpus declares no municipality registry".into()))?;
    for (flag, value, allowed) in [
        ("tier", &args.tier, &["upper", "lower", "single"][..]),
        ("region", &args.region, &["northern", "southern"][..]),
    ] {
        if let Some(v) = value
            && !allowed.contains(&v.as_str())
        {
            return Err(Error::Usage(format!(
                "--{flag} `{v}`: use one of {}",
                allowed.join(", ")
            )));
        }
    }
    let focus = args
        .municipality
        .as_deref()
        .map(|id| {
            registry.resolve(id).ok_or_else(|| {
                let hint = registry
                    .hint(id)
                    .map_or_else(String::new, |h| format!("; {h}"));
                Error::Usage(format!("`{id}` is not a known municipality{hint}"))
            })
        })
        .transpose()?;
    let data = dataset(corpus, Some(&measure.id))?;
    let values: Vec<(&Observation, &Municipality)> = data
        .of_measure(&measure.id)
        .filter_map(|o| Some((o, registry.table.get(&o.municipality)?)))
        .filter(|(_, m)| args.tier.as_ref().is_none_or(|t| &m.tier == t))
        .filter(|(_, m)| args.region.as_ref().is_none_or(|r| &m.region == r))
        .collect();
    let year = match args.year {
        Some(y) => y,
        None => match focus {
            Some(f) => values
                .iter()
                .filter(|(o, _)| o.municipality == f.id)
                .map(|(o, _)| o.year)
                .max(),
            None => values.iter().map(|(o, _)| o.year).max(),
        }
        .ok_or_else(|| no_values(measure, args))?,
    };
    let in_year: Vec<(&Observation, &Municipality)> = values
        .iter()
        .copied()
        .filter(|(o, _)| o.year == year)
        .collect();
    let (group, placement) = match focus {
        None => (in_year, None),
        Some(f) => place(f, &in_year, &values, measure, year)?,
    };
    if group.is_empty() {
        return Err(no_values(measure, args));
    }
    let mut ranked: Vec<Ranked> = group
        .iter()
        .map(|(o, m)| Ranked {
            rank: 0,
            municipality: m.id.clone(),
            name: m.name.clone(),
            tier: m.tier.clone(),
            population: m.population,
            value: o.value,
        })
        .collect();
    ranked.sort_by(|a, b| {
        stats::rank_order(a.value, b.value, measure.better)
            .then_with(|| a.municipality.cmp(&b.municipality))
    });
    for i in 0..ranked.len() {
        ranked[i].rank = if i > 0 && ranked[i].value == ranked[i - 1].value {
            ranked[i - 1].rank
        } else {
            i + 1
        };
    }
    let view = MeasureView {
        measure,
        year,
        tier: args.tier.clone(),
        region: args.region.clone(),
        distribution: stats::distribution(&group.iter().map(|(o, _)| o.value).collect::<Vec<_>>()),
        ranking: ranked,
        placement,
    };
    let mut out = super::stdout();
    output::measures::write_measure(
        &mut out,
        &view,
        args.format,
        Style::stdout(color.for_stdout()),
    )?;
    out.flush()?;
    Ok(ExitStatus::Success)
}

type Group<'a> = Vec<(&'a Observation, &'a Municipality)>;

/// The peer group of `focus` in `year`, and where it stands in it.
fn place<'a>(
    focus: &'a Municipality,
    in_year: &Group<'a>,
    values: &Group<'a>,
    measure: &Measure,
    year: i32,
) -> Result<(Group<'a>, Option<Placement>), Error> {
    let own = in_year
        .iter()
        .find(|(o, _)| o.municipality == focus.id)
        .ok_or_else(|| {
            Error::Usage(format!(
                "{} reports no value of {} for {year} (see `mkn measures show {}`)",
                focus.id, measure.id, measure.id
            ))
        })?;
    let mut group: Group = in_year
        .iter()
        .copied()
        .filter(|(_, m)| stats::is_peer(focus, m))
        .collect();
    let mut rule = format!(
        "{} tier, population between a third and three times {}'s",
        focus.tier, focus.name
    );
    if group.len() < 3 {
        group = in_year
            .iter()
            .copied()
            .filter(|(_, m)| m.tier == focus.tier)
            .collect();
        rule = format!(
            "{} tier (fewer than 3 of similar population report it, so the whole tier)",
            focus.tier
        );
    }
    let group_values: Vec<f64> = group.iter().map(|(o, _)| o.value).collect();
    let mut trend: Vec<(i32, f64)> = values
        .iter()
        .filter(|(o, _)| o.municipality == focus.id)
        .map(|(o, _)| (o.year, o.value))
        .collect();
    trend.sort_by_key(|t| t.0);
    let better_than = measure.better.map(|b| {
        group_values
            .iter()
            .filter(|&&v| stats::rank_order(own.0.value, v, Some(b)).is_lt())
            .count()
    });
    let placement = Placement {
        municipality: focus.id.clone(),
        value: own.0.value,
        percentile: stats::percentile(own.0.value, &group_values, measure.better),
        better_than,
        peer_rule: rule,
        peers: group.iter().map(|(_, m)| m.id.clone()).collect(),
        trend,
    };
    Ok((group, Some(placement)))
}

fn no_values(measure: &Measure, args: &MeasureArgs) -> Error {
    let mut scope = Vec::new();
    if let Some(y) = args.year {
        scope.push(format!("in {y}"));
    }
    if let Some(t) = &args.tier {
        scope.push(format!("for the {t} tier"));
    }
    if let Some(r) = &args.region {
        scope.push(format!("in the {r} region"));
    }
    if let Some(m) = &args.municipality {
        scope.push(format!("from {m}"));
    }
    Error::Usage(format!(
        "no reported values of {} {}(data files: `mkn measures show {}`)",
        measure.id,
        scope.iter().map(|s| format!("{s} ")).collect::<String>(),
        measure.id
    ))
}
