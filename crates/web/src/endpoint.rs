//! How an API endpoint is declared: once, with its method, path and summary, the permission it
//! needs and the Rust types of its query, body and answer. The page modules declare theirs
//! here and [`crate::api`] builds the router, the permission gate and the OpenAPI document
//! from the one list, so they cannot drift apart.

use crate::state::AppState;
use axum::routing::MethodRouter;
use jili_app::{Action, Principal};
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{IntoParams, ToSchema};

/// The schemas an OpenAPI document collects (name → schema), filled as endpoints are described.
pub type Schemas = Vec<(String, RefOr<Schema>)>;

/// A type's schema as a reference, its own and its parts' schemas added to the collection.
pub type SchemaFn = fn(&mut Schemas) -> RefOr<Schema>;

/// The permission an endpoint needs before the request is read, asked about the user's own
/// scope (a lead department may draft plans — of its own measures, which the use-case checks).
/// Answering 403 before 415 or 422 tells a user who may not act so, whatever they sent.
pub type Gate = for<'a> fn(&'a Principal) -> Action<'a>;

/// A request body: its content types and schema.
#[derive(Debug, Clone, Copy)]
pub struct BodyDoc {
    /// The accepted content types; any other is refused with 415.
    pub types: &'static [&'static str],
    pub schema: SchemaFn,
    /// Whether the body may be left out.
    pub optional: bool,
}

/// One endpoint as documented.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    /// `get`, `post`, …, lower case as OpenAPI writes it.
    pub method: &'static str,
    /// The path, with `{name}` parameters (axum and OpenAPI share the syntax).
    pub path: &'static str,
    pub summary: &'static str,
    /// The group it is listed under.
    pub tag: &'static str,
    /// Needs a logged-in user (cookie session or bearer token).
    pub login: bool,
    /// The permission checked before the request's body or query is read.
    pub gate: Option<Gate>,
    /// The query parameters.
    pub query: Option<fn() -> Vec<Parameter>>,
    pub body: Option<BodyDoc>,
    /// The answer's schema (status 200).
    pub ok: Option<SchemaFn>,
    /// May answer 202 with a background job (`Location: /api/jobs/{id}`) instead.
    pub job: bool,
}

/// An endpoint with its handler.
pub type Route = (Endpoint, MethodRouter<AppState>);

/// Shorthand for declaring an endpoint.
pub const fn endpoint(
    method: &'static str,
    path: &'static str,
    tag: &'static str,
    summary: &'static str,
    login: bool,
) -> Endpoint {
    Endpoint { method, path, summary, tag, login, gate: None, query: None, body: None, ok: None, job: false }
}

/// The schema of `T`, by reference, with its components collected.
pub fn schema_of<T: ToSchema>(all: &mut Schemas) -> RefOr<Schema> {
    T::schemas(all);
    let name = T::name().to_string();
    if !all.iter().any(|(n, _)| *n == name) {
        all.push((name.clone(), T::schema()));
    }
    RefOr::Ref(utoipa::openapi::Ref::from_schema_name(name))
}

fn query_of<Q: IntoParams>() -> Vec<Parameter> {
    Q::into_params(|| Some(ParameterIn::Query))
}

impl Endpoint {
    /// The answer is a `T` as JSON.
    pub fn ok<T: ToSchema>(mut self) -> Endpoint {
        self.ok = Some(schema_of::<T>);
        self
    }

    /// The query parameters are the fields of `Q`.
    pub fn query<Q: IntoParams>(mut self) -> Endpoint {
        self.query = Some(query_of::<Q>);
        self
    }

    /// The body is a `B` as JSON (`Content-Type: application/json`).
    pub fn json<B: ToSchema>(mut self) -> Endpoint {
        self.body = Some(BodyDoc { types: &["application/json"], schema: schema_of::<B>, optional: false });
        self
    }

    /// The body is a `B` as JSON, or nothing.
    pub fn json_optional<B: ToSchema>(mut self) -> Endpoint {
        self.body = Some(BodyDoc { types: &["application/json"], schema: schema_of::<B>, optional: true });
        self
    }

    /// The body is `B` in one of `types`.
    pub fn body<B: ToSchema>(mut self, types: &'static [&'static str]) -> Endpoint {
        self.body = Some(BodyDoc { types, schema: schema_of::<B>, optional: false });
        self
    }

    /// The user must be allowed this before anything they sent is read.
    pub fn gate(mut self, gate: Gate) -> Endpoint {
        self.gate = Some(gate);
        self
    }

    /// Long work may answer 202 with a job.
    pub fn job(mut self) -> Endpoint {
        self.job = true;
        self
    }
}
