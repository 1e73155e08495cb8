//! An organization's departments (отделы): a competition belongs to one, reports count per
//! department and combined.

use diesel::prelude::*;

use super::schema::departments::dsl as dp;
use super::{DbConnection, DbError};
use crate::domain::time::now_rfc3339;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Department {
    pub id: String,
    pub name: String,
}

pub fn list(conn: &mut DbConnection, organization_id: &str) -> Result<Vec<Department>, DbError> {
    Ok(dp::departments
        .filter(dp::organization_id.eq(organization_id))
        .order(dp::name.asc())
        .select((dp::id, dp::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .map(|(id, name)| Department { id, name })
        .collect())
}

/// A new department; `None` when the organization has one of that name.
pub fn create(
    conn: &mut DbConnection,
    organization_id: &str,
    name: &str,
) -> Result<Option<Department>, DbError> {
    let taken: i64 = dp::departments
        .filter(dp::organization_id.eq(organization_id))
        .filter(dp::name.eq(name))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Ok(None);
    }
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(dp::departments)
        .values((
            dp::id.eq(&id),
            dp::organization_id.eq(organization_id),
            dp::name.eq(name),
            dp::created_at.eq(now_rfc3339()),
        ))
        .execute(conn)?;
    Ok(Some(Department {
        id,
        name: name.to_string(),
    }))
}

/// Whether the department is the organization's.
pub fn is_own(conn: &mut DbConnection, organization_id: &str, id: &str) -> Result<bool, DbError> {
    let found: i64 = dp::departments
        .filter(dp::organization_id.eq(organization_id))
        .filter(dp::id.eq(id))
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}
