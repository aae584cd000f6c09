//! `mkn lsp`: a language server for the front matter of corpus documents.
//!
//! It speaks the Language Server Protocol over standard input and output
//! (framing and the handshake by `lsp-server`, message types by
//! `lsp-types`) and gives any editor, inside the front matter of a corpus
//! document: the diagnostics `mkn check` reports for it, computed from the
//! editor's text; completion of keys from the collection's schema and of
//! values from the vocabularies, the corpus and the schema's enums; hover
//! on keys and on referenced ids. Each document belongs to the corpus of the
//! nearest `mkn.toml` above it. No document stops it: one outside every
//! corpus or broken beyond reading simply gets nothing, and a request that
//! fails, even by a panic, gets an error response; only a stream that is not
//! the protocol at all ends it, with the reason. It writes its own messages
//! to standard error only.

mod completion;
mod diagnostics;
mod document;
mod hover;
pub mod place;
pub mod position;
mod uri;
mod values;
mod workspace;

use std::collections::{BTreeSet, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::time::Duration;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{Completion, HoverRequest, Request as _};
use lsp_types::{
    CompletionOptions, CompletionParams, CompletionResponse, HoverParams, HoverProviderCapability,
    PublishDiagnosticsParams, SaveOptions, ServerCapabilities, TextDocumentPositionParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};

use crate::error::{Error, ExitStatus};
use document::Opened;
use workspace::{LoadError, Workspaces};

/// How long the server waits after the last edit before checking: edits
/// typed in a row are checked once.
const SETTLE: Duration = Duration::from_millis(80);

/// Serves the protocol on standard input and output until the editor says
/// `exit`: 0 after `shutdown`, 1 without it (as the protocol says). A stream
/// that breaks the protocol's framing ends it with the reason, as an error.
pub fn serve_stdio(fixed_root: Option<PathBuf>) -> Result<ExitStatus, Error> {
    let (connection, io_threads) = Connection::stdio();
    let served = serve(&connection, fixed_root);
    drop(connection);
    let broken = |reason: String| Error::Usage(format!("language server protocol: {reason}"));
    match served {
        // The reader has stopped: after `exit`, at the end of input, or at
        // a message it could not read, whose reason the join returns.
        Ok(status) => io_threads
            .join()
            .map(|()| status)
            .map_err(|e| broken(e.to_string())),
        Err(e) if e.channel_is_disconnected() => Err(broken(
            io_threads
                .join()
                .err()
                .map_or_else(|| e.to_string(), |e| e.to_string()),
        )),
        Err(e) => Err(broken(e.to_string())),
    }
}

/// Serves the protocol on a connection: the handshake, then every message
/// until `exit`. With `fixed_root`, only documents of that corpus are served.
pub fn serve(
    connection: &Connection,
    fixed_root: Option<PathBuf>,
) -> Result<ExitStatus, lsp_server::ProtocolError> {
    let (id, _params) = connection.initialize_start()?;
    let initialized = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": {"name": "mkn", "version": env!("CARGO_PKG_VERSION")},
    });
    connection.initialize_finish(id, initialized)?;
    Ok(Server {
        connection,
        workspaces: Workspaces::new(fixed_root),
        documents: HashMap::new(),
        unchecked: BTreeSet::new(),
    }
    .run())
}

/// What the server offers: full or incremental text sync with save
/// notices, completion (also on `:`, space, `[`, `,` and `-`), hover.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some([":", " ", "[", ",", "-"].map(String::from).to_vec()),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// An open document's text and version.
struct Open {
    text: String,
    version: i32,
}

/// The server's state between messages.
struct Server<'c> {
    connection: &'c Connection,
    workspaces: Workspaces,
    documents: HashMap<Uri, Open>,
    /// Documents edited since their diagnostics were last published.
    unchecked: BTreeSet<Uri>,
}

impl Server<'_> {
    /// Takes in messages until `exit` or the end of input. The protocol's
    /// exit code 1 (exit without shutdown) is [`ExitStatus::Findings`].
    fn run(mut self) -> ExitStatus {
        loop {
            let message = if self.unchecked.is_empty() {
                self.connection.receiver.recv().ok()
            } else {
                match self.connection.receiver.recv_timeout(SETTLE) {
                    Ok(message) => Some(message),
                    Err(e) if e.is_timeout() => {
                        self.publish_unchecked();
                        continue;
                    }
                    Err(_) => None,
                }
            };
            let Some(message) = message else {
                eprintln!("mkn lsp: the editor closed the connection without `exit`");
                return ExitStatus::Findings;
            };
            match message {
                Message::Request(request) => match self.connection.handle_shutdown(&request) {
                    Ok(true) => return ExitStatus::Success,
                    Ok(false) => self.request(request),
                    Err(e) => {
                        eprintln!("mkn lsp: {e}");
                        return ExitStatus::Findings;
                    }
                },
                Message::Notification(notification) if notification.method == "exit" => {
                    return ExitStatus::Findings;
                }
                Message::Notification(notification) => self.notification(notification),
                Message::Response(_) => {}
            }
        }
    }

    fn send(&self, message: impl Into<Message>) {
        if self.connection.sender.send(message.into()).is_err() {
            eprintln!("mkn lsp: cannot write to the editor");
        }
    }

    /// Answers a request; one that fails, even by a panic, gets an error response.
    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        let answer = catch_unwind(AssertUnwindSafe(|| self.answer(request)));
        let response = match answer {
            Ok(Ok(result)) => Response::new_ok(id, result),
            Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
            Err(_) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                "mkn lsp failed on this request (its standard error says more)".into(),
            ),
        };
        self.send(response);
    }

    fn answer(&mut self, request: Request) -> Result<serde_json::Value, (ErrorCode, String)> {
        let result = match request.method.as_str() {
            Completion::METHOD => {
                let params: CompletionParams = params(request)?;
                serde_json::to_value(self.completion(&params.text_document_position))
            }
            HoverRequest::METHOD => {
                let params: HoverParams = params(request)?;
                serde_json::to_value(self.hover(&params.text_document_position_params))
            }
            other => {
                return Err((
                    ErrorCode::MethodNotFound,
                    format!("mkn lsp does not answer `{other}`"),
                ));
            }
        };
        result.map_err(|e| (ErrorCode::InternalError, e.to_string()))
    }

    /// Takes in a notification; one that fails, even by a panic, is logged.
    fn notification(&mut self, notification: Notification) {
        let method = notification.method.clone();
        match catch_unwind(AssertUnwindSafe(|| self.take_in(notification))) {
            Ok(Ok(())) => {}
            Ok(Err((_, message))) => eprintln!("mkn lsp: {method}: {message}"),
            Err(_) => eprintln!("mkn lsp: {method} failed"),
        }
    }

    fn take_in(&mut self, notification: Notification) -> Result<(), (ErrorCode, String)> {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let params: lsp_types::DidOpenTextDocumentParams = params(notification)?;
                let document = params.text_document;
                self.documents.insert(
                    document.uri.clone(),
                    Open {
                        text: document.text,
                        version: document.version,
                    },
                );
                self.unchecked.insert(document.uri);
            }
            DidChangeTextDocument::METHOD => {
                let params: lsp_types::DidChangeTextDocumentParams = params(notification)?;
                let uri = params.text_document.uri;
                if let Some(open) = self.documents.get_mut(&uri) {
                    for change in params.content_changes {
                        document::apply_change(&mut open.text, change);
                    }
                    open.version = params.text_document.version;
                    self.unchecked.insert(uri);
                }
            }
            DidSaveTextDocument::METHOD => {
                // A saved document can change what others find (an id now exists).
                self.unchecked.extend(self.documents.keys().cloned());
            }
            DidCloseTextDocument::METHOD => {
                let params: lsp_types::DidCloseTextDocumentParams = params(notification)?;
                let uri = params.text_document.uri;
                self.documents.remove(&uri);
                self.unchecked.remove(&uri);
                self.publish(uri, Vec::new(), None);
            }
            _ => {}
        }
        Ok(())
    }

    /// Checks the edited documents and publishes what was found.
    fn publish_unchecked(&mut self) {
        for uri in std::mem::take(&mut self.unchecked) {
            let found = catch_unwind(AssertUnwindSafe(|| self.diagnostics(&uri)));
            let version = self.documents.get(&uri).map(|o| o.version);
            match found {
                Ok(diagnostics) => self.publish(uri, diagnostics, version),
                Err(_) => eprintln!("mkn lsp: checking {} failed", uri.as_str()),
            }
        }
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(PublishDiagnostics::METHOD.into(), params));
    }

    /// What `mkn check` finds in an open document's text; nothing for a
    /// document outside every corpus or collection.
    fn diagnostics(&mut self, uri: &Uri) -> Vec<lsp_types::Diagnostic> {
        let Some(open) = self.documents.get(uri) else {
            return Vec::new();
        };
        let Some(located) = uri::to_path(uri).and_then(|p| self.workspaces.locate(&p)) else {
            return Vec::new();
        };
        let workspace = match self.workspaces.get(&located.root) {
            Ok(workspace) => workspace,
            Err(e) => return vec![diagnostics::from_load_error(&e)],
        };
        let corpus = &workspace.corpus;
        match crate::check::check_text(corpus, &workspace.prepared, &located.rel, &open.text) {
            Ok(found) => found
                .unwrap_or_default()
                .iter()
                .map(|d| diagnostics::from_check(&open.text, &located.root, d))
                .collect(),
            Err(e) => vec![diagnostics::from_load_error(&LoadError::from(&e))],
        }
    }

    /// The open document at a position, its corpus and collection, and the
    /// cursor's line and place in its front matter.
    fn at<T>(
        &mut self,
        position: &TextDocumentPositionParams,
        answer: impl FnOnce(&Opened, usize, &place::Place) -> Option<T>,
    ) -> Option<T> {
        let open = self.documents.get(&position.text_document.uri)?;
        let path = uri::to_path(&position.text_document.uri)?;
        let located = self.workspaces.locate(&path)?;
        let workspace = self.workspaces.get(&located.root).ok()?;
        let file = workspace.corpus.source_file(&located.rel)?;
        let collection = workspace.corpus.config.collections.get(&file.collection)?;
        let line = position.position.line as usize;
        let byte = position::byte_of_utf16(
            position::line_text(&open.text, line),
            position.position.character,
        );
        let place = place::place_at(&open.text, line, byte)?;
        let opened = Opened {
            text: &open.text,
            workspace,
            collection,
        };
        answer(&opened, line, &place)
    }

    fn completion(&mut self, position: &TextDocumentPositionParams) -> Option<CompletionResponse> {
        self.at(position, |doc, line, place| {
            Some(CompletionResponse::Array(completion::items(
                doc, line, place,
            )))
        })
    }

    fn hover(&mut self, position: &TextDocumentPositionParams) -> Option<lsp_types::Hover> {
        self.at(position, hover::hover)
    }
}

/// The parameters of a request or notification, or why they do not fit.
fn params<T: serde::de::DeserializeOwned>(
    message: impl Into<Message>,
) -> Result<T, (ErrorCode, String)> {
    let value = match message.into() {
        Message::Request(r) => r.params,
        Message::Notification(n) => n.params,
        Message::Response(_) => serde_json::Value::Null,
    };
    serde_json::from_value(value).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}
