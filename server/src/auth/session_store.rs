//! Our own tower-sessions store over the `sessions` table, shared by every instance that uses
//! the same database. Rows are keyed by SHA-256 of the session id, not the id itself.

use async_trait::async_trait;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, sea_query::OnConflict,
};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use tower_sessions::{
    ExpiredDeletion, SessionStore,
    session::{Id, Record},
    session_store::{Error, Result},
};

use crate::entities::session;

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        DbSessionStore { db }
    }
}

fn key(id: &Id) -> String {
    hex::encode(Sha256::digest(id.to_string().as_bytes()))
}

fn backend(e: impl std::fmt::Display) -> Error {
    Error::Backend(e.to_string())
}

fn row(record: &Record) -> Result<session::ActiveModel> {
    Ok(session::ActiveModel {
        id: Set(key(&record.id)),
        data: Set(serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?),
        expires_at: Set(record.expiry_date),
    })
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // A fresh id that is already taken (astronomically unlikely) gets re-drawn.
        for _ in 0..8 {
            let exists = session::Entity::find_by_id(key(&record.id))
                .one(&self.db)
                .await
                .map_err(backend)?
                .is_some();
            if !exists {
                session::Entity::insert(row(record)?)
                    .exec_without_returning(&self.db)
                    .await
                    .map_err(backend)?;
                return Ok(());
            }
            record.id = Id::default();
        }
        Err(Error::Backend("could not allocate a session id".into()))
    }

    async fn save(&self, record: &Record) -> Result<()> {
        session::Entity::insert(row(record)?)
            .on_conflict(
                OnConflict::column(session::Column::Id)
                    .update_columns([session::Column::Data, session::Column::ExpiresAt])
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, session_id: &Id) -> Result<Option<Record>> {
        let Some(found) = session::Entity::find_by_id(key(session_id))
            .filter(session::Column::ExpiresAt.gt(OffsetDateTime::now_utc()))
            .one(&self.db)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&found.data).map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *session_id,
            data,
            expiry_date: found.expires_at,
        }))
    }

    async fn delete(&self, session_id: &Id) -> Result<()> {
        session::Entity::delete_by_id(key(session_id))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> Result<()> {
        let res = session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lt(OffsetDateTime::now_utc()))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        if res.rows_affected > 0 {
            tracing::debug!(removed = res.rows_affected, "removed expired sessions");
        }
        Ok(())
    }
}
