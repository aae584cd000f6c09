//! `mkn tech` listings: tables for people; JSON (an array), NDJSON and CSV
//! with the fields of each row type in their declared order (documented in
//! the README). In CSV, lists are joined with `;` and counts by key are
//! written `key=n;key=n`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::listing::{ListFormat, Style, json, ndjson, table};
use crate::error::Error;
use crate::infobase::changes::Change;
use crate::infobase::peers::Peer;
use crate::infobase::products::{CompareRow, ProductSummary, UsageRow};

/// Writes rows as JSON, NDJSON or CSV, or calls `table` for a table.
fn write_rows<T: Serialize>(
    w: &mut dyn Write,
    rows: &[T],
    format: ListFormat,
    columns: &[&str],
    cells: impl Fn(&T) -> Vec<String>,
    table: impl FnOnce(&mut dyn Write) -> Result<(), Error>,
) -> Result<(), Error> {
    match format {
        ListFormat::Json => json(w, &rows),
        ListFormat::Ndjson => ndjson(w, rows),
        ListFormat::Csv => {
            let csv_error = |e: csv::Error| Error::Output(io::Error::other(e.to_string()));
            let mut out = csv::Writer::from_writer(w);
            out.write_record(columns).map_err(csv_error)?;
            for row in rows {
                out.write_record(cells(row)).map_err(csv_error)?;
            }
            out.flush()?;
            Ok(())
        }
        ListFormat::Table => table(w),
    }
}

fn opt<T: ToString>(value: &Option<T>) -> String {
    value.as_ref().map(T::to_string).unwrap_or_default()
}

fn counts(map: &BTreeMap<String, usize>, sep: &str, join: &str) -> String {
    map.iter()
        .map(|(k, n)| format!("{k}{sep}{n}"))
        .collect::<Vec<_>>()
        .join(join)
}

/// At most `max` characters, cut at a word, with an ellipsis.
fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

fn rating(r: Option<u8>) -> String {
    r.map(|r| format!("{r}/5")).unwrap_or_else(|| "-".into())
}

/// The columns of `mkn tech products`.
pub const PRODUCT_COLUMNS: [&str; 12] = [
    "product",
    "vendor",
    "category",
    "functions",
    "municipalities",
    "by_tier",
    "by_region",
    "planned",
    "retired",
    "mean_rating",
    "ratings",
    "practices",
];

/// Writes `mkn tech products`.
pub fn write_products(
    w: &mut dyn Write,
    rows: &[ProductSummary],
    format: ListFormat,
    style: Style,
) -> Result<(), Error> {
    let cells = |p: &ProductSummary| {
        vec![
            p.product.clone(),
            p.vendor.clone(),
            p.category.clone(),
            p.functions.join(";"),
            p.municipalities.to_string(),
            counts(&p.by_tier, "=", ";"),
            counts(&p.by_region, "=", ";"),
            p.planned.to_string(),
            p.retired.to_string(),
            p.mean_rating.map(|m| format!("{m:.2}")).unwrap_or_default(),
            p.ratings.to_string(),
            p.practices.to_string(),
        ]
    };
    write_rows(w, rows, format, &PRODUCT_COLUMNS, cells, |w| {
        if rows.is_empty() {
            writeln!(w, "no products")?;
            return Ok(());
        }
        let mut t = table(
            style,
            &[
                "product · vendor",
                "functions",
                "used by",
                "tier · region",
                "rating",
                "practices",
            ],
        );
        for p in rows {
            let mut used = p.municipalities.to_string();
            for (n, word) in [(p.planned, "planned"), (p.retired, "retired")] {
                if n > 0 {
                    used.push_str(&format!("\n+{n} {word}"));
                }
            }
            t.add_row(vec![
                format!("{}\n{}", p.product, p.vendor),
                p.functions.join("\n"),
                used,
                format!(
                    "{}\n{}",
                    counts(&p.by_tier, " ", ", "),
                    counts(&p.by_region, " ", ", ")
                ),
                match p.mean_rating {
                    Some(mean) => format!("{mean:.1} ({})", p.ratings),
                    None => "-".into(),
                },
                p.practices.to_string(),
            ]);
        }
        writeln!(w, "{t}")?;
        writeln!(w, "{} products", rows.len())?;
        Ok(())
    })
}

/// The columns of `who-uses` and `profile`.
pub const USAGE_COLUMNS: [&str; 15] = [
    "municipality",
    "name",
    "tier",
    "region",
    "population",
    "function",
    "product",
    "vendor",
    "category",
    "version",
    "since",
    "status",
    "rating",
    "review",
    "contact",
];

fn usage_cells(u: &UsageRow) -> Vec<String> {
    vec![
        u.municipality.clone(),
        u.name.clone(),
        u.tier.clone(),
        u.region.clone(),
        opt(&u.population),
        u.function.clone(),
        u.product.clone(),
        u.vendor.clone(),
        u.category.clone(),
        opt(&u.version),
        opt(&u.since),
        u.status.clone(),
        opt(&u.rating),
        u.review.clone().unwrap_or_default(),
        u.contact.as_ref().map(|c| c.line()).unwrap_or_default(),
    ]
}

/// Version, since and status on one line.
fn facts(u: &UsageRow) -> String {
    let mut parts = Vec::new();
    if let Some(v) = &u.version {
        parts.push(format!("v{v}"));
    }
    if let Some(s) = u.since {
        parts.push(format!("since {s}"));
    }
    parts.push(u.status.clone());
    parts.join(" · ")
}

/// Review excerpt and contact.
fn notes(u: &UsageRow) -> String {
    let mut out = u
        .review
        .as_deref()
        .map(|r| excerpt(r, 120))
        .unwrap_or_default();
    if let Some(contact) = &u.contact {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str("contact: ");
        out.push_str(&contact.line());
    }
    out
}

/// Writes `mkn tech who-uses`; `product` heads the table.
pub fn write_who_uses(
    w: &mut dyn Write,
    product: &str,
    rows: &[UsageRow],
    format: ListFormat,
    style: Style,
) -> Result<(), Error> {
    write_rows(w, rows, format, &USAGE_COLUMNS, usage_cells, |w| {
        let mut t = table(
            style,
            &[
                "municipality",
                "function",
                "version · since · status",
                "rating",
                "review · contact",
            ],
        );
        for u in rows {
            t.add_row(vec![
                format!("{}\n{} · {}", u.name, u.tier, u.region),
                u.function.clone(),
                facts(u),
                rating(u.rating),
                notes(u),
            ]);
        }
        writeln!(w, "{t}")?;
        let places: std::collections::BTreeSet<&str> =
            rows.iter().map(|u| u.municipality.as_str()).collect();
        writeln!(
            w,
            "{product}: {} entries in {} municipalities",
            rows.len(),
            places.len()
        )?;
        Ok(())
    })
}

/// Writes `mkn tech profile`; `title` heads the table.
pub fn write_profile(
    w: &mut dyn Write,
    title: &str,
    rows: &[UsageRow],
    function_name: impl Fn(&str) -> String,
    format: ListFormat,
    style: Style,
) -> Result<(), Error> {
    write_rows(w, rows, format, &USAGE_COLUMNS, usage_cells, |w| {
        writeln!(w, "{title}")?;
        if rows.is_empty() {
            writeln!(w, "no technology profile")?;
            return Ok(());
        }
        let mut t = table(
            style,
            &[
                "function",
                "product · vendor",
                "version · since · status",
                "rating",
                "review · contact",
            ],
        );
        for u in rows {
            t.add_row(vec![
                function_name(&u.function),
                format!("{}\n{} · {}", u.product, u.vendor, u.category),
                facts(u),
                rating(u.rating),
                notes(u),
            ]);
        }
        writeln!(w, "{t}")?;
        Ok(())
    })
}

/// The columns of `compare`.
pub const COMPARE_COLUMNS: [&str; 8] = [
    "function",
    "municipality",
    "product",
    "vendor",
    "version",
    "status",
    "rating",
    "shared",
];

/// Writes `mkn tech compare`: in a table, one row per function and one
/// column per municipality (`ids` with their `names`).
pub fn write_compare(
    w: &mut dyn Write,
    rows: &[CompareRow],
    municipalities: &[(String, String)],
    format: ListFormat,
    style: Style,
) -> Result<(), Error> {
    let cells = |r: &CompareRow| {
        vec![
            r.function.clone(),
            r.municipality.clone(),
            r.product.clone(),
            r.vendor.clone(),
            opt(&r.version),
            r.status.clone(),
            opt(&r.rating),
            r.shared.to_string(),
        ]
    };
    write_rows(w, rows, format, &COMPARE_COLUMNS, cells, |w| {
        if rows.is_empty() {
            writeln!(w, "none of them has a technology profile")?;
            return Ok(());
        }
        let mut header = vec!["function"];
        header.extend(municipalities.iter().map(|(_, name)| name.as_str()));
        let mut t = table(style, &header);
        let mut functions: Vec<&str> = rows.iter().map(|r| r.function.as_str()).collect();
        functions.dedup();
        for function in functions {
            let mut line = vec![function.to_string()];
            for (id, _) in municipalities {
                let cell: Vec<String> = rows
                    .iter()
                    .filter(|r| r.function == function && &r.municipality == id)
                    .map(|r| {
                        let mut s = format!("{}{}", if r.shared { "= " } else { "" }, r.product);
                        if r.status != "in-use" {
                            s.push_str(&format!(" ({})", r.status));
                        }
                        if let Some(rating) = r.rating {
                            s.push_str(&format!(" {rating}/5"));
                        }
                        s
                    })
                    .collect();
                line.push(if cell.is_empty() {
                    "-".into()
                } else {
                    cell.join("\n")
                });
            }
            t.add_row(line);
        }
        writeln!(w, "{t}")?;
        writeln!(w, "= the same product in every one")?;
        Ok(())
    })
}

/// The columns of `peers`.
pub fn peer_columns() -> Vec<&'static str> {
    let mut columns = vec!["likeness", "same_tier", "same_region", "same_band", "band"];
    columns.extend(USAGE_COLUMNS);
    columns
}

/// Writes `mkn tech peers`; `title` heads the table.
pub fn write_peers(
    w: &mut dyn Write,
    title: &str,
    rows: &[Peer],
    format: ListFormat,
    style: Style,
) -> Result<(), Error> {
    let cells = |p: &Peer| {
        let mut cells = vec![
            p.likeness.to_string(),
            p.same_tier.to_string(),
            p.same_region.to_string(),
            p.same_band.to_string(),
            opt(&p.band),
        ];
        cells.extend(usage_cells(&p.usage));
        cells
    };
    write_rows(w, rows, format, &peer_columns(), cells, |w| {
        writeln!(w, "{title}")?;
        if rows.is_empty() {
            writeln!(w, "no other municipality lists a product for this function")?;
            return Ok(());
        }
        let mut t = table(
            style,
            &[
                "municipality",
                "alike",
                "product · vendor",
                "version · since · status",
                "rating",
                "review · contact",
            ],
        );
        for p in rows {
            let u = &p.usage;
            let alike: Vec<&str> = [
                (p.same_tier, "tier"),
                (p.same_region, "region"),
                (p.same_band, "size"),
            ]
            .iter()
            .filter(|(same, _)| *same)
            .map(|(_, what)| *what)
            .collect();
            t.add_row(vec![
                format!(
                    "{}\n{} · {} · {}",
                    u.name,
                    u.tier,
                    u.region,
                    opt(&u.population)
                ),
                format!(
                    "{}/3\n{}",
                    p.likeness,
                    if alike.is_empty() {
                        "-".into()
                    } else {
                        alike.join(", ")
                    }
                ),
                format!("{}\n{}", u.product, u.vendor),
                facts(u),
                rating(u.rating),
                notes(u),
            ]);
        }
        writeln!(w, "{t}")?;
        Ok(())
    })
}

/// The columns of `changes`.
pub const CHANGE_COLUMNS: [&str; 9] = [
    "date",
    "commit",
    "municipality",
    "kind",
    "product",
    "function",
    "from",
    "to",
    "message",
];

/// Writes `mkn tech changes`.
pub fn write_changes(
    w: &mut dyn Write,
    rows: &[Change],
    format: ListFormat,
    style: Style,
) -> Result<(), Error> {
    let cells = |c: &Change| {
        vec![
            c.date.clone(),
            c.commit.clone(),
            c.municipality.clone(),
            c.kind.clone(),
            c.product.clone(),
            c.function.clone(),
            opt(&c.from),
            opt(&c.to),
            c.message.clone(),
        ]
    };
    write_rows(w, rows, format, &CHANGE_COLUMNS, cells, |w| {
        if rows.is_empty() {
            writeln!(w, "no changes")?;
            return Ok(());
        }
        let mut t = table(
            style,
            &[
                "date · commit",
                "municipality",
                "change",
                "product · function",
            ],
        );
        for c in rows {
            let what = match (c.kind.as_str(), &c.from, &c.to) {
                ("rating" | "version" | "status", from, to) => format!(
                    "{} {} → {}",
                    c.kind,
                    from.as_deref().unwrap_or("none"),
                    to.as_deref().unwrap_or("none")
                ),
                (kind, _, _) => kind.to_string(),
            };
            t.add_row(vec![
                format!("{}\n{}", c.date, &c.commit[..c.commit.len().min(7)]),
                c.municipality.clone(),
                what,
                format!("{}\n{}", c.product, c.function),
            ]);
        }
        writeln!(w, "{t}")?;
        writeln!(w, "{} changes", rows.len())?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_cut_at_a_word() {
        assert_eq!(excerpt("short", 10), "short");
        assert_eq!(
            excerpt("Works well for linear assets, reporting needs add-ons.", 32),
            "Works well for linear assets…"
        );
    }
}
