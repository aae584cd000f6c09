//! `mkn lsp`: the real binary spoken to over stdin/stdout, as an editor does.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

use crate::harness::{Kb, VALID_PRACTICE};

/// How long any answer may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(30);

/// An editor's side of the conversation with `mkn lsp`.
struct Editor {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Notifications that arrived while waiting for something else.
    pending: Vec<Value>,
    next_id: i64,
}

impl Editor {
    /// Starts `mkn lsp` in `dir` and completes the handshake.
    fn start(dir: &std::path::Path) -> (Editor, Value) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mkn"))
            .arg("lsp")
            .current_dir(dir)
            .env_clear()
            .env("HOME", dir)
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, incoming) = channel();
        std::thread::spawn(move || {
            while let Some(message) = read_message(&mut stdout) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let mut editor = Editor {
            child,
            stdin,
            incoming,
            pending: Vec::new(),
            next_id: 1,
        };
        let root = uri_of(dir, "");
        let answer = editor.request(
            "initialize",
            json!({"processId": null, "rootUri": root, "capabilities": {}}),
        );
        editor.notify("initialized", json!({}));
        (editor, answer)
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its whole response (`result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.next_message();
            if message["id"] == id && message.get("method").is_none() {
                return message;
            }
            self.pending.push(message);
        }
    }

    fn next_message(&mut self) -> Value {
        self.incoming
            .recv_timeout(PATIENCE)
            .expect("the server answers in time")
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let is_for_uri = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        if let Some(i) = self.pending.iter().position(is_for_uri) {
            let message = self.pending.remove(i);
            return message["params"]["diagnostics"].as_array().unwrap().clone();
        }
        loop {
            let message = self.next_message();
            if is_for_uri(&message) {
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.pending.push(message);
        }
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// The `result` of a completion or hover request at 0-based `line`, `character`.
    fn at(&mut self, method: &str, uri: &str, line: usize, character: usize) -> Value {
        let answer = self.request(
            method,
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        );
        assert!(answer.get("error").is_none(), "{answer}");
        answer["result"].clone()
    }

    /// The labels (and details) a completion offers.
    fn completion(&mut self, uri: &str, line: usize, character: usize) -> Vec<(String, String)> {
        let result = self.at("textDocument/completion", uri, line, character);
        let items = result
            .as_array()
            .or_else(|| result["items"].as_array())
            .cloned()
            .unwrap_or_default();
        items
            .iter()
            .map(|item| {
                (
                    item["label"].as_str().unwrap().to_string(),
                    item["detail"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    }

    /// Shutdown, exit, and the exit code.
    fn shut_down(mut self) -> i32 {
        let answer = self.request("shutdown", Value::Null);
        assert_eq!(answer["result"], Value::Null, "{answer}");
        self.notify("exit", Value::Null);
        self.wait()
    }

    fn wait(mut self) -> i32 {
        drop(self.stdin);
        for _ in 0..300 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        self.child.kill().unwrap();
        panic!("mkn lsp did not exit");
    }
}

/// Reads one `Content-Length`-framed message; `None` at the end of the stream.
fn read_message(stdout: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut header = String::new();
        if stdout.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some(value) = header.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    stdout.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The `file:` URI of a path in `dir`.
fn uri_of(dir: &std::path::Path, rel: &str) -> String {
    let path = dir.canonicalize().unwrap().join(rel);
    format!("file://{}", path.display())
}

const PRACTICE: &str = "practices/roads-winter-control/guelph-brine.md";

/// The 0-based line and byte of `needle` in `text`.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let offset = text.find(needle).unwrap();
    let line = text[..offset].matches('\n').count();
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (line, offset - line_start)
}

#[test]
fn the_handshake_announces_sync_completion_and_hover() {
    let kb = Kb::new();
    let (editor, answer) = Editor::start(kb.root());
    let capabilities = &answer["result"]["capabilities"];
    assert_eq!(capabilities["textDocumentSync"]["openClose"], true);
    assert_eq!(capabilities["textDocumentSync"]["change"], 2, "incremental");
    assert!(capabilities["completionProvider"]["triggerCharacters"].is_array());
    assert_eq!(capabilities["hoverProvider"], true);
    assert_eq!(answer["result"]["serverInfo"]["name"], "mkn");
    assert_eq!(editor.shut_down(), 0);
}

#[test]
fn diagnostics_are_mkn_checks_on_the_editors_text() {
    let kb = Kb::new();
    kb.write(PRACTICE, VALID_PRACTICE);
    let broken = VALID_PRACTICE.replace("municipalities: [guelph]", "municipalities: [guleph]");
    let (mut editor, _) = Editor::start(kb.root());
    let uri = uri_of(kb.root(), PRACTICE);

    editor.open(&uri, &broken);
    let found = editor.diagnostics(&uri);
    assert_eq!(found.len(), 1, "{found:?}");
    let (line, character) = position_of(&broken, "guleph");
    assert_eq!(found[0]["code"], "ref/municipality");
    assert_eq!(found[0]["severity"], 1);
    assert_eq!(found[0]["source"], "mkn");
    assert_eq!(
        found[0]["range"]["start"],
        json!({"line": line, "character": character})
    );
    assert_eq!(
        found[0]["range"]["end"],
        json!({"line": line, "character": character + 6})
    );
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.contains("`guleph` is not a known municipality"),
        "{message}"
    );
    assert!(message.contains("did you mean `guelph`?"), "{message}");

    // The same text on disk: `mkn check` says the same, at the same place.
    kb.write(PRACTICE, &broken);
    let run = kb.mkn(["check", "--format", "json", PRACTICE]);
    let checked: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let as_editor_sees_it: Vec<Value> = checked
        .iter()
        .map(|d| {
            let hint = d["hint"]
                .as_str()
                .map(|h| format!("\nhelp: {h}"))
                .unwrap_or_default();
            json!({
                "code": d["code"],
                "line": d["line"].as_u64().unwrap() - 1,
                "character": d["column"].as_u64().unwrap() - 1,
                "message": format!("{}{hint}", d["message"].as_str().unwrap()),
            })
        })
        .collect();
    let from_server: Vec<Value> = found
        .iter()
        .map(|d| {
            json!({
                "code": d["code"],
                "line": d["range"]["start"]["line"],
                "character": d["range"]["start"]["character"],
                "message": d["message"],
            })
        })
        .collect();
    assert_eq!(from_server, as_editor_sees_it);

    // Fixed in the editor, not on disk: the diagnostics go.
    editor.change(&uri, 2, VALID_PRACTICE);
    assert_eq!(editor.diagnostics(&uri), Vec::<Value>::new());

    // Closing clears them too.
    editor.change(&uri, 3, &broken);
    assert_eq!(editor.diagnostics(&uri).len(), 1);
    editor.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(editor.diagnostics(&uri), Vec::<Value>::new());
    assert_eq!(editor.shut_down(), 0);
}

#[test]
fn columns_are_utf16_code_units() {
    let kb = Kb::new();
    let text = VALID_PRACTICE.replace(
        "municipalities: [guelph]",
        "municipalities: [\"🚗é\", guleph]",
    );
    let (mut editor, _) = Editor::start(kb.root());
    let uri = uri_of(kb.root(), PRACTICE);
    editor.open(&uri, &text);
    let found = editor.diagnostics(&uri);
    let guleph = found
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("guleph"))
        .unwrap();
    // `municipalities: ["🚗é", ` is 24 UTF-16 units: the car takes two.
    assert_eq!(guleph["range"]["start"]["character"], 24);
    assert_eq!(editor.shut_down(), 0);
}

#[test]
fn completion_offers_missing_keys_and_vocabulary_values() {
    let kb = Kb::new();
    let text = "---\nid: guelph-brine\nki\nareas:\n  - \nmunicipalities: [gu]\n---\n";
    let (mut editor, _) = Editor::start(kb.root());
    let uri = uri_of(kb.root(), PRACTICE);
    editor.open(&uri, text);

    let keys = editor.completion(&uri, 2, 2);
    assert!(
        keys.contains(&("kind".into(), "required".into())),
        "{keys:?}"
    );
    assert!(
        keys.contains(&("title".into(), "required".into())),
        "{keys:?}"
    );
    assert!(keys.iter().any(|(k, _)| k == "related"), "{keys:?}");
    assert!(
        !keys.iter().any(|(k, _)| k == "id" || k == "areas"),
        "present keys are left out: {keys:?}"
    );

    let areas = editor.completion(&uri, 4, 4);
    assert!(
        areas.contains(&("roads-winter-control".into(), "Winter control".into())),
        "{areas:?}"
    );

    let municipalities = editor.completion(&uri, 5, 19);
    assert!(
        municipalities.contains(&("guelph".into(), "Guelph".into())),
        "{municipalities:?}"
    );
    assert_eq!(editor.shut_down(), 0);
}

#[test]
fn completion_of_enums_measures_and_related_practices() {
    let kb = Kb::new();
    kb.write(PRACTICE, VALID_PRACTICE);
    let text = "---\nkind: \nevidence:\n  - measure: \nrelated: [gu]\n---\n";
    let other = "practices/roads-winter-control/other.md";
    let (mut editor, _) = Editor::start(kb.root());
    let uri = uri_of(kb.root(), other);
    editor.open(&uri, text);
    let kinds = editor.completion(&uri, 1, 6);
    let labels: Vec<&str> = kinds.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(labels, ["best", "beneficial"]);
    let measures = editor.completion(&uri, 3, 13);
    assert!(
        measures.iter().any(|(id, _)| id == "winter-standard-met"),
        "{measures:?}"
    );
    let related = editor.completion(&uri, 4, 11);
    assert_eq!(
        related,
        [("guelph-brine".to_string(), "Brine pre-wetting".to_string())]
    );
    assert_eq!(editor.shut_down(), 0);
}

#[test]
fn hover_names_ids_and_explains_keys() {
    let kb = Kb::new();
    let (mut editor, _) = Editor::start(kb.root());
    let uri = uri_of(kb.root(), PRACTICE);
    editor.open(&uri, VALID_PRACTICE);
    let (line, character) = position_of(VALID_PRACTICE, "guelph]");
    let hover = editor.at("textDocument/hover", &uri, line, character + 2);
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.starts_with("**Guelph**"), "{shown}");
    assert!(shown.contains("StatCan 3523008"), "{shown}");
    assert_eq!(
        hover["range"]["start"],
        json!({"line": line, "character": character})
    );

    let (line, character) = position_of(VALID_PRACTICE, "kind:");
    let hover = editor.at("textDocument/hover", &uri, line, character + 1);
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("best: verified by measured results"),
        "{shown}"
    );

    let (line, character) = position_of(VALID_PRACTICE, "roads-winter-control]");
    let hover = editor.at("textDocument/hover", &uri, line, character);
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Winter control")
    );
    assert_eq!(editor.shut_down(), 0);
}

#[test]
fn broken_yaml_gets_a_syntax_diagnostic_and_the_server_goes_on() {
    let kb = Kb::new();
    let (mut editor, _) = Editor::start(kb.root());
    let uri = uri_of(kb.root(), PRACTICE);
    let broken = "---\nid: guelph-brine\ntitle: [unclosed\nkind: best\n---\nBody.\n";
    editor.open(&uri, broken);
    let found = editor.diagnostics(&uri);
    assert!(
        found.iter().any(|d| d["code"] == "yaml/syntax"),
        "{found:?}"
    );

    let keys = editor.completion(&uri, 3, 2);
    assert!(keys.iter().any(|(k, _)| k == "kind"), "{keys:?}");
    // Positions past the end of a line, the text, or inside a character.
    editor.at("textDocument/hover", &uri, 2, 400);
    editor.at("textDocument/hover", &uri, 400, 0);
    editor.at("textDocument/completion", &uri, 5, 3);
    assert_eq!(editor.shut_down(), 0);
}

#[test]
fn documents_outside_the_corpus_get_nothing_and_nothing_stops_the_server() {
    let kb = Kb::new();
    let (mut editor, _) = Editor::start(kb.root());

    let readme = uri_of(kb.root(), "README.md");
    editor.open(&readme, "---\nkind: x\n---\n");
    assert_eq!(editor.diagnostics(&readme), Vec::<Value>::new());
    assert_eq!(
        editor.at("textDocument/completion", &readme, 1, 6),
        Value::Null
    );

    let elsewhere = "file:///no/such/folder/x.md";
    editor.open(elsewhere, "---\nkind: x\n---\n");
    assert_eq!(editor.diagnostics(elsewhere), Vec::<Value>::new());
    editor.open("untitled:Untitled-1", "---\n");
    assert_eq!(
        editor.diagnostics("untitled:Untitled-1"),
        Vec::<Value>::new()
    );

    let unknown = editor.request("workspace/symbol", json!({"query": ""}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let bad = editor.request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    editor.notify("textDocument/didChange", json!({"garbage": 1}));
    editor.notify("$/unknownNotification", json!({}));

    let uri = uri_of(kb.root(), PRACTICE);
    editor.open(&uri, VALID_PRACTICE);
    assert_eq!(editor.diagnostics(&uri), Vec::<Value>::new());
    assert_eq!(editor.shut_down(), 0);
}

#[test]
fn a_folder_without_mkn_toml_is_served_too() {
    let kb = Kb::empty();
    kb.write("notes/x.md", "---\nkind: best\n---\n");
    let (mut editor, _) = Editor::start(kb.root());
    let uri = uri_of(kb.root(), "notes/x.md");
    editor.open(&uri, "---\nkind: best\n---\n");
    assert_eq!(editor.diagnostics(&uri), Vec::<Value>::new());
    assert_eq!(editor.at("textDocument/hover", &uri, 1, 1), Value::Null);
    assert_eq!(editor.shut_down(), 0);
}

#[test]
fn a_broken_mkn_toml_is_a_diagnostic_until_it_is_fixed() {
    let kb = Kb::new();
    let settings = std::fs::read_to_string(kb.path("mkn.toml")).unwrap();
    kb.write("mkn.toml", settings.replace("name =", "nam ="));
    let (mut editor, _) = Editor::start(kb.root());
    let uri = uri_of(kb.root(), PRACTICE);
    editor.open(&uri, VALID_PRACTICE);
    let found = editor.diagnostics(&uri);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["code"], "config/invalid");

    kb.write("mkn.toml", &settings);
    editor.change(&uri, 2, VALID_PRACTICE);
    assert_eq!(editor.diagnostics(&uri), Vec::<Value>::new());
    assert_eq!(editor.shut_down(), 0);
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let kb = Kb::new();
    let (mut editor, _) = Editor::start(kb.root());
    editor.notify("exit", Value::Null);
    assert_eq!(editor.wait(), 1);
}

#[test]
fn a_message_that_is_not_json_ends_the_server_with_the_reason() {
    let kb = Kb::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_mkn"))
        .arg("lsp")
        .current_dir(kb.root())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let initialize =
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}});
    let initialized = json!({"jsonrpc": "2.0", "method": "initialized", "params": {}});
    let mut stdin = child.stdin.take().unwrap();
    for body in [
        initialize.to_string(),
        initialized.to_string(),
        "{not json".into(),
    ] {
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    }
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("malformed LSP payload"), "{stderr}");
}

#[test]
fn the_editor_gets_the_check_settings_and_suppressions_mkn_check_applies() {
    let kb = Kb::new();
    let toml = fs::read_to_string(kb.path("mkn.toml")).unwrap();
    kb.write("mkn.toml", format!("{toml}\n[check]\nwarn = [\"ref\"]\n"));
    kb.write(PRACTICE, VALID_PRACTICE);
    let broken = VALID_PRACTICE.replace("municipalities: [guelph]", "municipalities: [guleph]");
    let (mut editor, _) = Editor::start(kb.root());
    let uri = uri_of(kb.root(), PRACTICE);

    editor.open(&uri, &broken);
    let found = editor.diagnostics(&uri);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["code"], "ref/municipality");
    assert_eq!(found[0]["severity"], 2, "a warning, as [check] says");

    let suppressed = format!("{broken}\n<!-- mkn-ignore-file ref/municipality -->\n");
    editor.change(&uri, 2, &suppressed);
    assert_eq!(editor.diagnostics(&uri), Vec::<Value>::new());

    let unused = format!("{VALID_PRACTICE}\n<!-- mkn-ignore-file ref/municipality -->\n");
    editor.change(&uri, 3, &unused);
    let found = editor.diagnostics(&uri);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["code"], "check/unused-suppression");
    assert_eq!(editor.shut_down(), 0);
}

/// `VALID_PRACTICE` with TOML front matter.
const TOML_PRACTICE: &str = "\
+++
id = \"guelph-brine\"
title = \"Brine pre-wetting\"
kind = \"best\"
areas = [\"roads-winter-control\"]
municipalities = [\"guleph\"]
year = 2016
status = \"active\"
summary = \"Guelph pre-wets road salt with brine so that less of it bounces off the road.\"
tags = [\"salt\"]

[[evidence]]
measure = \"winter-standard-met\"
municipality = \"guelph\"
baseline = { year = 2014, value = 85.0 }
result = { year = 2017, value = 97.0 }
source = 1

[[sources]]
title = \"Council report\"
url = \"https://example.org/report.pdf\"
+++
## Challenge
Text.
## Approach
Text.
## Results
Text.
## Lessons learned
Text.
";

#[test]
fn toml_and_json_documents_get_diagnostics_and_no_completion() {
    let kb = Kb::new();
    let (mut editor, _) = Editor::start(kb.root());
    let uri = uri_of(kb.root(), PRACTICE);
    editor.open(&uri, TOML_PRACTICE);
    let found = editor.diagnostics(&uri);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["code"], "ref/municipality");
    let (line, character) = position_of(TOML_PRACTICE, "\"guleph\"");
    assert_eq!(
        found[0]["range"]["start"],
        json!({"line": line, "character": character})
    );

    // Completion and hover read YAML only: in TOML they offer nothing.
    let (line, character) = position_of(TOML_PRACTICE, "kind =");
    assert!(editor.completion(&uri, line, character + 2).is_empty());
    assert_eq!(
        editor.at("textDocument/hover", &uri, line, character + 1),
        Value::Null
    );
    let (line, character) = position_of(TOML_PRACTICE, "roads-winter-control");
    assert!(editor.completion(&uri, line, character + 3).is_empty());

    let json_text = "{\n  \"id\": \"guelph-brine\",\n  \"kind\": \"bset\"\n}\nBody.\n";
    editor.change(&uri, 2, json_text);
    let found = editor.diagnostics(&uri);
    let kind = found
        .iter()
        .find(|d| d["code"] == "schema/enum")
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(kind["range"]["start"], json!({"line": 2, "character": 10}));
    assert!(editor.completion(&uri, 2, 5).is_empty());
    assert_eq!(editor.shut_down(), 0);
}
