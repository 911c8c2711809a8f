//! [`RouteTable`]: the recorder the route table registers through. With an actix
//! `ServiceConfig` it registers each route exactly as `ServiceConfig::route` and `web::scope`
//! would and notes its `(method, path)`; without one it only notes them, so the route list is
//! data that tests (and anything else) can read without parsing source or starting a server.

use actix_web::{FromRequest, Handler, Responder, Route, web};

/// An actix handler whose answer is a response: what every route of the table points to.
pub trait Endpoint<Args>: Handler<Args, Output: Responder + 'static> {}

impl<F, Args> Endpoint<Args> for F
where
    F: Handler<Args>,
    F::Output: Responder + 'static,
{
}

/// Routes being registered on an actix `ServiceConfig`, or only listed. Every method returns
/// the table, so registrations chain as they do on `ServiceConfig`, in the order actix tries
/// them.
pub struct RouteTable<'a> {
    /// Where routes are registered; `None` when only listing.
    cfg: Option<&'a mut web::ServiceConfig>,
    /// `(method, full path)` of every route added so far, in order.
    listed: Vec<(&'static str, String)>,
    /// The paths of the enclosing scopes.
    prefix: String,
}

impl<'a> RouteTable<'a> {
    /// A table that registers on `cfg` (and lists what it registers).
    pub fn new(cfg: &'a mut web::ServiceConfig) -> Self {
        Self {
            cfg: Some(cfg),
            listed: Vec::new(),
            prefix: String::new(),
        }
    }

    /// A table that only lists routes.
    pub fn listing() -> Self {
        Self {
            cfg: None,
            listed: Vec::new(),
            prefix: String::new(),
        }
    }

    /// The `(method, full path)` of every route added, in the order they were added.
    pub fn into_list(self) -> Vec<(&'static str, String)> {
        self.listed
    }

    /// `GET path` → `handler`.
    pub fn get<F, Args>(&mut self, path: &str, handler: F) -> &mut Self
    where
        F: Endpoint<Args>,
        Args: FromRequest + 'static,
    {
        self.add("GET", path, || web::get().to(handler))
    }

    /// `POST path` → `handler`.
    pub fn post<F, Args>(&mut self, path: &str, handler: F) -> &mut Self
    where
        F: Endpoint<Args>,
        Args: FromRequest + 'static,
    {
        self.add("POST", path, || web::post().to(handler))
    }

    /// `PUT path` → `handler`.
    pub fn put<F, Args>(&mut self, path: &str, handler: F) -> &mut Self
    where
        F: Endpoint<Args>,
        Args: FromRequest + 'static,
    {
        self.add("PUT", path, || web::put().to(handler))
    }

    /// `PATCH path` → `handler`.
    pub fn patch<F, Args>(&mut self, path: &str, handler: F) -> &mut Self
    where
        F: Endpoint<Args>,
        Args: FromRequest + 'static,
    {
        self.add("PATCH", path, || web::patch().to(handler))
    }

    /// `DELETE path` → `handler`.
    pub fn delete<F, Args>(&mut self, path: &str, handler: F) -> &mut Self
    where
        F: Endpoint<Args>,
        Args: FromRequest + 'static,
    {
        self.add("DELETE", path, || web::delete().to(handler))
    }

    /// Run a group of registrations on this table (`ServiceConfig::configure`).
    pub fn configure(&mut self, routes: impl FnOnce(&mut Self)) -> &mut Self {
        routes(self);
        self
    }

    /// The routes of `routes` below `path`: an actix scope (`web::scope(path).configure(…)`),
    /// listed with `path` in front of theirs.
    pub fn scope(&mut self, path: &str, routes: impl FnOnce(&mut RouteTable<'_>)) -> &mut Self {
        let prefix = format!("{}{path}", self.prefix);
        let listed = match self.cfg.as_deref_mut() {
            Some(cfg) => {
                let mut listed = Vec::new();
                cfg.service(web::scope(path).configure(|inner| {
                    let mut table = RouteTable {
                        cfg: Some(inner),
                        listed: Vec::new(),
                        prefix,
                    };
                    routes(&mut table);
                    listed = table.listed;
                }));
                listed
            }
            None => {
                let mut table = RouteTable {
                    cfg: None,
                    listed: Vec::new(),
                    prefix,
                };
                routes(&mut table);
                table.listed
            }
        };
        self.listed.extend(listed);
        self
    }

    /// Rails' `resources`: the routes of one resource, registered in the order `routes` names
    /// them. `path` is the collection (`/labels`), `id` the member segment (`{id}`), so each
    /// resource names its paths once and every update answers both PATCH and PUT.
    pub fn resource(
        &mut self,
        path: &str,
        id: &str,
        routes: impl FnOnce(&mut Resource<'_, 'a>),
    ) -> &mut Self {
        let mut resource = Resource {
            table: self,
            collection: path.to_string(),
            member: format!("{path}/{id}"),
        };
        routes(&mut resource);
        self
    }

    /// Register `route` at `path` (when registering) and note it.
    fn add(&mut self, method: &'static str, path: &str, route: impl FnOnce() -> Route) -> &mut Self {
        if let Some(cfg) = self.cfg.as_deref_mut() {
            cfg.route(path, route());
        }
        self.listed.push((method, format!("{}{path}", self.prefix)));
        self
    }
}

/// The routes of one resource being added to a [`RouteTable`] (see [`RouteTable::resource`]).
/// Each method adds its routes at once, so the call order is the matching order.
pub struct Resource<'t, 'a> {
    table: &'t mut RouteTable<'a>,
    /// `/labels`
    collection: String,
    /// `/labels/{id}`
    member: String,
}

impl Resource<'_, '_> {
    /// `GET collection` (index).
    pub fn index<F, Args>(&mut self, handler: F) -> &mut Self
    where
        F: Endpoint<Args>,
        Args: FromRequest + 'static,
    {
        self.table.get(&self.collection, handler);
        self
    }

    /// `POST collection` (create).
    pub fn create<F, Args>(&mut self, handler: F) -> &mut Self
    where
        F: Endpoint<Args>,
        Args: FromRequest + 'static,
    {
        self.table.post(&self.collection, handler);
        self
    }

    /// `GET member` (show).
    pub fn show<F, Args>(&mut self, handler: F) -> &mut Self
    where
        F: Endpoint<Args>,
        Args: FromRequest + 'static,
    {
        self.table.get(&self.member, handler);
        self
    }

    /// `PATCH member` and `PUT member` (update), as Rails routes both.
    pub fn update<F, Args>(&mut self, handler: F) -> &mut Self
    where
        F: Endpoint<Args>,
        Args: FromRequest + 'static,
    {
        self.table
            .patch(&self.member, handler.clone())
            .put(&self.member, handler);
        self
    }

    /// `DELETE member` (destroy).
    pub fn destroy<F, Args>(&mut self, handler: F) -> &mut Self
    where
        F: Endpoint<Args>,
        Args: FromRequest + 'static,
    {
        self.table.delete(&self.member, handler);
        self
    }
}
