//! Links resolved as a static-site host resolves them, on corpora shaped like
//! Hugo and Jekyll sites.

use crate::harness::Kb;

/// `(path, line, code, message, hint)` of each diagnostic of a `--format json` run.
fn findings(stdout: &str) -> Vec<(String, u64, String, String, String)> {
    let json: serde_json::Value = serde_json::from_str(stdout).expect(stdout);
    json.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
                d["hint"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// A corpus of one collection without schema or vocabularies.
fn site() -> Kb {
    let kb = Kb::empty();
    kb.write(
        "mkn.toml",
        "name = \"Site\"\n[collections.docs]\npath = \"docs\"\n",
    );
    kb
}

#[test]
fn the_hugo_site_passes_with_one_case_warning() {
    let kb = Kb::empty();
    kb.copy_fixture("hugo-site").commit("site");
    let run = kb.mkn(["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{run}");
    let found = findings(&run.stdout);
    assert_eq!(
        found,
        [(
            "content/docs/guides/_index.md".to_string(),
            7,
            "ref/link-case".to_string(),
            "link to `./activedirectory.md`, which exists only in another letter case".to_string(),
            "the file is `content/docs/guides/ActiveDirectory.md`: write its name as it is, since Linux and most web hosts tell letter cases apart".to_string(),
        )]
    );
    let strict = kb.mkn(["check", "--deny-warnings"]);
    assert_eq!(strict.code, 1, "{strict}");
}

#[test]
fn addresses_are_not_files() {
    let kb = site();
    kb.write(
        "docs/page.md",
        "---\ntitle: Page\n---\n\
         Mail <someone@agency.example>, [us](mailto:us@agency.example), [call](tel:+1-555-0100),\n\
         [blank](about:blank), [web](https://example.org/missing.md), [cdn](//cdn.example.org/x.js),\n\
         [settings](ms-settings:display) and [the site root](/docs/elsewhere/).\n\
         Jekyll: [a]({{site.baseurl}}/docs/x) [b]({%link_docs/y.md%}).\n",
    );
    let run = kb.mkn(["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.stdout.trim(), "[]");
}

#[test]
fn extensionless_links_find_pages_sections_and_bundles() {
    let kb = site();
    kb.write("docs/nixos.md", "---\ntitle: NixOS\n---\n# NixOS\n");
    kb.write("docs/guides/_index.md", "---\ntitle: Guides\n---\n");
    kb.write("docs/posts/hello/index.md", "---\ntitle: Hello\n---\n");
    kb.write("docs/files/report.pdf", "%PDF");
    kb.write(
        "docs/page.md",
        "---\ntitle: Page\n---\n\
         [a](./nixos) [b](nixos/) [c](guides/) [d](./guides) [e](posts/hello)\n\
         [f](files/report.pdf) [g](files/) [h](nixos.md?plain=1) [i](./my%20notes)\n\
         [j](./nixos.md.md) [k](posts/bye) [l](../nixos/)\n",
    );
    kb.write("docs/my notes.md", "---\ntitle: Notes\n---\n");
    let run = kb.mkn(["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{run}");
    let found: Vec<_> = findings(&run.stdout)
        .into_iter()
        .map(|(path, line, code, message, _)| (path, line, code, message))
        .collect();
    let at = |message: &str| {
        (
            "docs/page.md".to_string(),
            6,
            "ref/link".to_string(),
            message.to_string(),
        )
    };
    assert_eq!(
        found,
        [
            at("link to `./nixos.md.md`, which does not exist"),
            at("link to `posts/bye`, which does not exist"),
        ]
    );
}

#[test]
fn case_only_matches_have_their_own_code() {
    let kb = site();
    kb.write(
        "docs/ActiveDirectory.md",
        "---\ntitle: AD\n---\n# Active Directory\n",
    );
    kb.write("docs/Guides/Setup.md", "---\ntitle: Setup\n---\n# Setup\n");
    kb.write(
        "docs/page.md",
        "---\ntitle: Page\n---\n[a](./activedirectory.md) [b](guides/setup) [c](./ActiveDirectory.md)\n",
    );
    let run = kb.mkn(["check", "--format", "json"]);
    assert_eq!(run.code, 0, "warnings only: {run}");
    let found: Vec<_> = findings(&run.stdout)
        .into_iter()
        .map(|(_, _, code, _, hint)| (code, hint))
        .collect();
    let case = |real: &str| {
        (
            "ref/link-case".to_string(),
            format!(
                "the file is `{real}`: write its name as it is, since Linux and most web hosts tell letter cases apart"
            ),
        )
    };
    assert_eq!(
        found,
        [
            case("docs/ActiveDirectory.md"),
            case("docs/Guides/Setup.md")
        ]
    );
}

#[test]
fn anchors_are_checked_against_heading_slugs() {
    let kb = site();
    kb.write(
        "docs/install.md",
        "---\ntitle: Install\n---\n# Install\n\n## What's new?\n\n## First steps {#start}\n\n## Notes\n\n## Notes\n\n<a id=\"legacy-anchor\"></a>\n",
    );
    kb.write(
        "docs/page.md",
        "---\ntitle: Page\n---\n## Local heading\n\
         [ok](install.md#whats-new) [ok](install#start) [ok](install.md#notes-1) [ok](install.md#legacy-anchor)\n\
         [ok](#local-heading) [ok](#top) [ok](install.md?x=1#install)\n\
         [bad](install.md#whats-nw) [bad](#local) [bad](install#first-steps) [bad](install.md#notes-2)\n",
    );
    let run = kb.mkn(["check", "--format", "json"]);
    assert_eq!(run.code, 0, "anchors are warnings: {run}");
    let found: Vec<_> = findings(&run.stdout)
        .into_iter()
        .map(|(_, line, code, message, hint)| (line, code, message, hint))
        .collect();
    let anchor = |message: &str, hint: &str| {
        (
            7,
            "ref/anchor".to_string(),
            message.to_string(),
            hint.to_string(),
        )
    };
    let no_hint = "a heading's anchor is its text in lower case, punctuation dropped, spaces as `-` (as GitHub and Hugo make it), or its `{#id}`";
    assert_eq!(
        found,
        [
            anchor(
                "`#whats-nw` is not a heading or anchor of `docs/install.md`",
                "did you mean `whats-new`?"
            ),
            anchor(
                "`#local` is not a heading or anchor of this document",
                no_hint
            ),
            anchor(
                "`#first-steps` is not a heading or anchor of `docs/install.md`",
                no_hint
            ),
            anchor(
                "`#notes-2` is not a heading or anchor of `docs/install.md`",
                "did you mean `notes-1`?"
            ),
        ]
    );
}

#[test]
fn the_hugo_site_passes_with_the_configuration_its_readme_suggests() {
    let kb = Kb::empty();
    kb.copy_fixture("hugo-site");
    let readme = std::fs::read_to_string(kb.path("README.md")).unwrap();
    let suggested = readme
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the fixture's README suggests a [check] section");
    let settings = std::fs::read_to_string(kb.path("mkn.toml")).unwrap();
    kb.write("mkn.toml", format!("{settings}\n{suggested}"));
    kb.commit("site");
    let run = kb.mkn(["check", "--deny-warnings"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .starts_with("checked 9 documents: no problems found"),
        "{run}"
    );
}

#[test]
fn the_site_links_pages_as_the_check_resolves_them() {
    let kb = Kb::empty();
    kb.copy_fixture("hugo-site").commit("site");
    let run = kb.mkn(["export", "--format", "site", "--out", "public"]);
    assert_eq!(run.code, 0, "{run}");
    let page = |path: &str| std::fs::read_to_string(kb.path("public").join(path)).unwrap();
    for (page_path, hrefs) in [
        // `./install`, `guides/`, `./reference/`, `nixos#configuration`
        (
            "docs/index.html",
            &[
                "../docs/install.html",
                "../docs/guides.html",
                "../docs/reference.html",
                "../docs/nixos.html#configuration",
            ][..],
        ),
        // `./activedirectory.md` (another letter case) and `./sso`
        (
            "docs/guides.html",
            &[
                "../docs/guides-activedirectory.html",
                "../docs/guides-sso.html",
            ][..],
        ),
        // `../../docs/guides/sso/` and `../../docs/install`
        (
            "blog/2024-release.html",
            &["../docs/guides-sso.html", "../docs/install.html"][..],
        ),
    ] {
        let html = page(page_path);
        for href in hrefs {
            assert!(
                html.contains(&format!("href=\"{href}\"")),
                "{page_path} has no link to {href}"
            );
            let target = href.trim_start_matches("../").split('#').next().unwrap();
            assert!(kb.path("public").join(target).is_file(), "{target}");
        }
    }
    // Addresses stay as written.
    assert!(
        page("docs/install.html").contains("href=\"mailto:help@agency.example?subject=Install\"")
    );
}
