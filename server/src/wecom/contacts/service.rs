//! Directory writes: each goes to WeCom first (the contacts secret for departments and
//! members, the contacts or app secret for tags), is audited, and is then re-read into the
//! mirror — writes through the sync secret produce no callback at WeCom, so the portal never
//! waits for one. WeCom's refusals come back as 409 with its errcode and reason.

use api::wecom_contacts::{
    BATCH_DELETE_MAX, Department, DepartmentInput, DepartmentUpdate, Member, MemberInput, Tag,
    TagMembersInput, TagMembersResult, validate_department_name, validate_member,
    validate_tag_name,
};
use serde_json::{Value, json};
use wechat::client::work::Department as WxDepartment;

use api::wecom_extattr::ExtAttr;

use super::extattr;
use super::mirror::{self, Clients, refused};
use super::queries;
use crate::{
    audit::{self, Actor},
    error::{AppError, AppResult},
    state::AppState,
};

pub(super) async fn audit(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    action: &str,
    summary: String,
) {
    let r = audit::service::record(
        &state.db,
        actor,
        action,
        "account",
        Some(account_id),
        summary,
        Value::Null,
    )
    .await;
    if let Err(e) = r {
        tracing::warn!(account_id, action, error = %e, "could not audit a contacts change");
    }
}

fn invalid(issue: api::FieldIssue) -> AppError {
    AppError::Validation(vec![issue])
}

async fn department_of(state: &AppState, account_id: i64, id: i64) -> AppResult<Department> {
    queries::departments(&state.db, account_id)
        .await?
        .into_iter()
        .find(|d| d.id == id)
        .ok_or(AppError::NotFound)
}

pub async fn create_department(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    input: &DepartmentInput,
) -> AppResult<Department> {
    if let Some(i) = validate_department_name(&input.name) {
        return Err(invalid(i));
    }
    let clients = Clients::load(state, account_id).await?;
    let d = WxDepartment {
        name: input.name.trim().to_string(),
        parentid: Some(input.parent_id),
        order: input.order,
        ..Default::default()
    };
    let id = clients
        .directory_writer()?
        .department_create(&d)
        .await
        .map_err(|e| refused(&e))?;
    mirror::reread_department(&state.db, &clients, account_id, id).await?;
    audit(
        state,
        actor,
        account_id,
        "wecom.department.create",
        format!("department {id} {}", d.name),
    )
    .await;
    department_of(state, account_id, id).await
}

pub async fn update_department(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    id: i64,
    input: &DepartmentUpdate,
) -> AppResult<Department> {
    if let Some(i) = input.name.as_deref().and_then(validate_department_name) {
        return Err(invalid(i));
    }
    if id == 1 && input.parent_id.is_some() {
        return Err(AppError::BadRequest(
            "the root department cannot move".into(),
        ));
    }
    let clients = Clients::load(state, account_id).await?;
    let d = WxDepartment {
        id: Some(id),
        name: input
            .name
            .as_deref()
            .map(str::trim)
            .unwrap_or("")
            .to_string(),
        parentid: input.parent_id,
        order: input.order,
        ..Default::default()
    };
    clients
        .directory_writer()?
        .department_update(&d)
        .await
        .map_err(|e| refused(&e))?;
    mirror::reread_department(&state.db, &clients, account_id, id).await?;
    audit(
        state,
        actor,
        account_id,
        "wecom.department.update",
        format!("department {id}"),
    )
    .await;
    department_of(state, account_id, id).await
}

/// Deletes a department; WeCom refuses one with sub-departments (60006) or members (60005).
pub async fn delete_department(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    id: i64,
) -> AppResult<()> {
    let clients = Clients::load(state, account_id).await?;
    clients
        .directory_writer()?
        .department_delete(id)
        .await
        .map_err(|e| refused(&e))?;
    mirror::delete_department(&state.db, account_id, id).await?;
    audit(
        state,
        actor,
        account_id,
        "wecom.department.delete",
        format!("department {id}"),
    )
    .await;
    Ok(())
}

/// `had`: the member's attributes as mirrored (those the input lacks are cleared at WeCom).
fn member_body(m: &MemberInput, had: &[ExtAttr]) -> Value {
    let depts: Vec<i64> = m.departments.iter().map(|d| d.id).collect();
    let leaders: Vec<i64> = m
        .departments
        .iter()
        .map(|d| i64::from(d.is_leader))
        .collect();
    let mut b = json!({
        "userid": m.userid,
        "name": m.name.trim(),
        "alias": m.alias.trim(),
        "position": m.position.trim(),
        "department": depts,
        "is_leader_in_dept": leaders,
        "main_department": m.main_department,
        "enable": i64::from(m.enabled),
    });
    // Blank mobile / email / gender are left out: WeCom keeps what it has.
    for (k, v) in [
        ("mobile", &m.mobile),
        ("email", &m.email),
        ("gender", &m.gender),
    ] {
        if !v.trim().is_empty() {
            b[k] = json!(v.trim());
        }
    }
    if let Some(attrs) = &m.extattr {
        b["extattr"] = extattr::to_wecom(attrs, had);
    }
    b
}

/// The member as mirrored after a write, with the attributes WeCom ignored named.
async fn written_member(
    state: &AppState,
    account_id: i64,
    input: &MemberInput,
) -> AppResult<Member> {
    let mut m = queries::member(&state.db, account_id, &input.userid).await?;
    if let Some(sent) = &input.extattr {
        m.extattr_ignored = extattr::ignored(sent, &m.extattr);
    }
    Ok(m)
}

pub async fn create_member(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    input: &MemberInput,
) -> AppResult<Member> {
    let issues = validate_member(input);
    if !issues.is_empty() {
        return Err(AppError::Validation(issues));
    }
    let clients = Clients::load(state, account_id).await?;
    clients
        .directory_writer()?
        .user_create(&member_body(input, &[]))
        .await
        .map_err(|e| refused(&e))?;
    mirror::reread_member(&state.db, &clients, account_id, &input.userid).await?;
    audit(
        state,
        actor,
        account_id,
        "wecom.member.create",
        format!("member {}", input.userid),
    )
    .await;
    written_member(state, account_id, input).await
}

pub async fn update_member(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    userid: &str,
    input: &MemberInput,
) -> AppResult<Member> {
    if input.userid != userid {
        return Err(AppError::BadRequest("the userid cannot change".into()));
    }
    let mut issues = validate_member(input);
    // A restricted member's mobile / email are unknown here: an edit may leave both blank.
    issues.retain(|i| i.code != "mobile_or_email");
    if !issues.is_empty() {
        return Err(AppError::Validation(issues));
    }
    let had = match &input.extattr {
        Some(_) => {
            queries::member(&state.db, account_id, userid)
                .await?
                .extattr
        }
        None => Vec::new(),
    };
    let clients = Clients::load(state, account_id).await?;
    clients
        .directory_writer()?
        .user_update(&member_body(input, &had))
        .await
        .map_err(|e| refused(&e))?;
    mirror::reread_member(&state.db, &clients, account_id, userid).await?;
    audit(
        state,
        actor,
        account_id,
        "wecom.member.update",
        format!("member {userid}"),
    )
    .await;
    written_member(state, account_id, input).await
}

pub async fn set_enabled(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    userid: &str,
    enabled: bool,
) -> AppResult<Member> {
    let clients = Clients::load(state, account_id).await?;
    clients
        .directory_writer()?
        .user_update(&json!({"userid": userid, "enable": i64::from(enabled)}))
        .await
        .map_err(|e| refused(&e))?;
    mirror::reread_member(&state.db, &clients, account_id, userid).await?;
    let action = if enabled {
        "wecom.member.enable"
    } else {
        "wecom.member.disable"
    };
    audit(state, actor, account_id, action, format!("member {userid}")).await;
    queries::member(&state.db, account_id, userid).await
}

/// Deletes members in calls of at most 200 (`user/batchdelete`); WeCom applies a call fully or
/// not at all, so the mirror drops exactly the members of the calls it accepted.
pub async fn delete_members(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    userids: &[String],
) -> AppResult<()> {
    if userids.is_empty() {
        return Err(AppError::BadRequest("choose at least one member".into()));
    }
    let clients = Clients::load(state, account_id).await?;
    let writer = clients.directory_writer()?;
    for chunk in userids.chunks(BATCH_DELETE_MAX) {
        writer
            .user_batch_delete(chunk)
            .await
            .map_err(|e| refused(&e))?;
        for u in chunk {
            mirror::delete_member(&state.db, account_id, u).await?;
        }
        audit(
            state,
            actor,
            account_id,
            "wecom.member.delete",
            format!("members {}", chunk.join(", ")),
        )
        .await;
    }
    Ok(())
}

async fn tag_of(state: &AppState, account_id: i64, tag_id: i64) -> AppResult<Tag> {
    Ok(queries::tag_detail(&state.db, account_id, tag_id)
        .await?
        .tag)
}

pub async fn create_tag(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    name: &str,
) -> AppResult<Tag> {
    if let Some(i) = validate_tag_name(name) {
        return Err(invalid(i));
    }
    let clients = Clients::load(state, account_id).await?;
    let id = clients
        .tag_writer()
        .tag_create(name.trim(), None)
        .await
        .map_err(|e| refused(&e))?;
    mirror::reread_tag(&state.db, &clients, account_id, id, Some(true)).await?;
    audit(
        state,
        actor,
        account_id,
        "wecom.tag.create",
        format!("tag {id} {}", name.trim()),
    )
    .await;
    tag_of(state, account_id, id).await
}

pub async fn rename_tag(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    tag_id: i64,
    name: &str,
) -> AppResult<Tag> {
    if let Some(i) = validate_tag_name(name) {
        return Err(invalid(i));
    }
    let clients = Clients::load(state, account_id).await?;
    clients
        .tag_writer()
        .tag_update(tag_id, name.trim())
        .await
        .map_err(|e| refused(&e))?;
    mirror::reread_tag(&state.db, &clients, account_id, tag_id, None).await?;
    audit(
        state,
        actor,
        account_id,
        "wecom.tag.rename",
        format!("tag {tag_id} {}", name.trim()),
    )
    .await;
    tag_of(state, account_id, tag_id).await
}

pub async fn delete_tag(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    tag_id: i64,
) -> AppResult<()> {
    let clients = Clients::load(state, account_id).await?;
    clients
        .tag_writer()
        .tag_delete(tag_id)
        .await
        .map_err(|e| refused(&e))?;
    mirror::delete_tag(&state.db, account_id, tag_id).await?;
    audit(
        state,
        actor,
        account_id,
        "wecom.tag.delete",
        format!("tag {tag_id}"),
    )
    .await;
    Ok(())
}

/// Adds or removes tag members; WeCom applies the valid ones and names the others
/// (`invalidlist` "u1|u2", `invalidparty` [..]), which are answered per item.
pub async fn tag_members(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    tag_id: i64,
    input: &TagMembersInput,
    add: bool,
) -> AppResult<TagMembersResult> {
    if input.userids.is_empty() && input.department_ids.is_empty() {
        return Err(AppError::BadRequest(
            "choose at least one member or department".into(),
        ));
    }
    if input.userids.len() > 1000 || input.department_ids.len() > 100 {
        return Err(AppError::BadRequest(
            "at most 1000 members and 100 departments per change".into(),
        ));
    }
    let clients = Clients::load(state, account_id).await?;
    let w = clients.tag_writer();
    let r = if add {
        w.tag_add_users(tag_id, &input.userids, &input.department_ids)
            .await
    } else {
        w.tag_del_users(tag_id, &input.userids, &input.department_ids)
            .await
    }
    .map_err(|e| refused(&e))?;
    mirror::reread_tag(&state.db, &clients, account_id, tag_id, None).await?;
    let out = TagMembersResult {
        invalid_userids: r["invalidlist"]
            .as_str()
            .map(|s| {
                s.split('|')
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        invalid_department_ids: r["invalidparty"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_i64().or_else(|| x.as_str()?.parse().ok()))
                    .collect()
            })
            .unwrap_or_default(),
    };
    let action = if add {
        "wecom.tag.add_members"
    } else {
        "wecom.tag.remove_members"
    };
    audit(state, actor, account_id, action, format!("tag {tag_id}")).await;
    Ok(out)
}
