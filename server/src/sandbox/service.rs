//! Keeping the emulator in step with the portal's sandbox accounts, acting as followers and
//! members, and testing an account's connection.

use std::collections::BTreeMap;

use api::{
    Page, PageQuery,
    accounts::{AccountKind, MessageMode, SignType, WechatEnv},
    pay::OrderState,
    sandbox::{
        DeliveryAttempt, SandboxActRequest, SandboxActResult, SandboxAction, SandboxPerson,
        SeenMessage, TestConnectionResult,
    },
};
use serde_json::{Value, json};
use wechat::client::oa::QrCodeRequest;
use wechat_sim::{Delivery, FollowerAction, MemberAction, Outcome, VerifyResult};

use super::people;
use crate::wechat_clients::emulator::Emulator;
use crate::{
    accounts::{queries, service as accounts},
    entities::account,
    error::{AppError, AppResult},
    state::AppState,
    wechat_clients::{self, Client},
};

fn sim_error(e: wechat_sim::SimError) -> AppError {
    AppError::BadRequest(format!("sandbox: {e}"))
}

fn running(state: &AppState) -> AppResult<&Emulator> {
    state.wechat.sandbox().ok_or_else(|| {
        AppError::refused(
            "sandbox_not_running",
            "the sandbox is not running: start the server with --sandbox",
        )
    })
}

/// A sandbox account with its settings: the only accounts the emulator simulates.
struct SandboxAccount {
    model: account::Model,
    stored: accounts::Stored,
}

impl SandboxAccount {
    fn of(model: account::Model) -> AppResult<SandboxAccount> {
        if model.environment != WechatEnv::Sandbox {
            return Err(AppError::refused(
                "production_account",
                "this is a production account: only sandbox accounts can be simulated",
            ));
        }
        let stored = serde_json::from_str(&model.settings).map_err(AppError::internal)?;
        Ok(SandboxAccount { model, stored })
    }
}

async fn load(state: &AppState, id: i64) -> AppResult<SandboxAccount> {
    let model = queries::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    SandboxAccount::of(model)
}

async fn secret(state: &AppState, id: i64, field: &str) -> AppResult<String> {
    Ok(accounts::reveal_secret(state, id, field)
        .await?
        .unwrap_or_default())
}

fn mode_str(m: MessageMode) -> &'static str {
    match m {
        MessageMode::Plain => "plain",
        MessageMode::Compatible => "compatible",
        MessageMode::Safe => "safe",
    }
}

fn seed(v: Value) -> AppResult<wechat_sim::Seed> {
    serde_json::from_value(v).map_err(AppError::internal)
}

/// Registers (or updates) one sandbox account in the emulator, with the same credentials and
/// callback URL as stored in the portal. New emulator entries get the deterministic demo people.
pub async fn sync_account(state: &AppState, id: i64) -> AppResult<()> {
    let sandbox = running(state)?;
    let acc = load(state, id).await?;
    if acc.stored.suite_corp.is_some() {
        // A managed suite corp: the emulator knows it through the suite's install (its app and
        // data callback are the suite's), nothing of its own to register.
        return Ok(());
    }
    let sim = &sandbox.sim;
    let s = &acc.stored;
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let callback = sandbox.callback_url(id);
    match *acc.model.kind {
        AccountKind::OfficialAccount => {
            let appid = v(&s.app_id);
            let mut cfg = json!({
                "appid": appid,
                "secret": secret(state, id, "app_secret").await?,
                "name": acc.model.name,
                "original_id": v(&s.original_id),
                "token": secret(state, id, "token").await?,
                "mode": mode_str(s.message_mode.unwrap_or_default()),
                "callback_url": callback,
            });
            let key = secret(state, id, "encoding_aes_key").await?;
            if !key.is_empty() {
                cfg["encoding_aes_key"] = json!(key);
            }
            if sim.oa_app(&appid).is_some() {
                let update = serde_json::from_value(cfg).map_err(AppError::internal)?;
                sim.update_oa(&appid, update).map_err(sim_error)?;
            } else {
                let (tags, followers, menu) = people::oa_people(&appid);
                cfg["tags"] = tags;
                cfg["followers"] = followers;
                cfg["menu"] = menu;
                sim.load_seed(seed(json!({ "oa": [cfg] }))?)
                    .map_err(sim_error)?;
            }
        }
        AccountKind::WorkApp => {
            let corpid = v(&s.corp_id);
            let app = json!({
                "agentid": s.agent_id.unwrap_or_default(),
                "secret": secret(state, id, "secret").await?,
                "name": acc.model.name,
                "callback": {
                    "url": callback,
                    "token": secret(state, id, "token").await?,
                    "encoding_aes_key": secret(state, id, "encoding_aes_key").await?,
                },
            });
            // change_contact goes to the app's callback URL, as for a self-built app with the
            // contacts permission.
            let contacts_callback = app["callback"].clone();
            if sim.corp(&corpid).is_some() {
                let update = serde_json::from_value(
                    json!({ "apps": [app], "contacts_callback": contacts_callback }),
                )
                .map_err(AppError::internal)?;
                sim.update_corp(&corpid, update).map_err(sim_error)?;
            } else {
                let (departments, members, tags) = people::corp_people(&corpid);
                // A corp on WeCom's post-2022 rules, like any corp set up today.
                let mut corp = json!({
                    "corpid": corpid,
                    "name": acc.model.name,
                    "apps": [app],
                    "contacts_callback": contacts_callback,
                    "created_after_2022": true,
                    // Extended attributes the demo corp's admin added (WeCom ignores others).
                    "extattr_fields": people::EXTATTR_FIELDS
                        .iter()
                        .map(|(name, kind)| json!({"name": name, "type": kind}))
                        .collect::<Vec<_>>(),
                    "departments": departments,
                    "members": members,
                    "tags": tags,
                });
                let contacts = secret(state, id, "contacts_secret").await?;
                if !contacts.is_empty() {
                    corp["contacts_secret"] = json!(contacts);
                }
                sim.load_seed(seed(json!({ "work": [corp] }))?)
                    .map_err(sim_error)?;
            }
        }
        AccountKind::WorkSuite => {
            let suite_id = v(&s.suite_id);
            let mut cfg = json!({
                "suite_id": suite_id,
                "suite_secret": secret(state, id, "suite_secret").await?,
                "name": acc.model.name,
                "callback": {
                    "url": callback,
                    "token": secret(state, id, "token").await?,
                    "encoding_aes_key": secret(state, id, "encoding_aes_key").await?,
                },
                // Messages of the authorised corps' members (one URL for every corp).
                "data_callback": {
                    "url": crate::wecom::suite::data_callbacks::url(&sandbox.callback_base, id),
                    "token": secret(state, id, "token").await?,
                    "encoding_aes_key": secret(state, id, "encoding_aes_key").await?,
                },
            });
            if let Some(p) = &s.provider_corp_id {
                cfg["provider_corpid"] = json!(p);
            }
            let provider = secret(state, id, "provider_secret").await?;
            if !provider.is_empty() {
                cfg["provider_secret"] = json!(provider);
            }
            let config: wechat_sim::SuiteConfig =
                serde_json::from_value(cfg).map_err(AppError::internal)?;
            let exists = sim.with(|st| match st.suites.get_mut(&suite_id) {
                Some(existing) => {
                    existing.cfg = config.clone().fill();
                    true
                }
                None => false,
            });
            if !exists {
                sim.create_suite(config);
            }
        }
        AccountKind::PayMerchant => {
            let mch_id = v(&s.mch_id);
            let mut cfg = json!({
                "mch_id": mch_id,
                "key": secret(state, id, "api_key").await?,
                "appids": [v(&s.app_id)],
                "sign_type": match s.sign_type.unwrap_or_default() {
                    SignType::Md5 => "MD5",
                    SignType::HmacSha256 => "HMAC-SHA256",
                },
                "scan_callback_url": format!("{}/pay/{id}/scan-callback", sandbox.callback_base),
                "refund_notify_url": format!("{}/pay/{id}/refund-notify", sandbox.callback_base),
            });
            // The emulator recognises the merchant's certificate by its fingerprint.
            if let Some(der) = crate::wechat_clients::client_cert_der(state, id).await? {
                cfg["cert_sha256"] = json!(crate::wechat_clients::cert_fingerprint(&der));
            }
            if sim.merchant(&mch_id).is_some() {
                let update = serde_json::from_value(cfg).map_err(AppError::internal)?;
                sim.update_merchant(&mch_id, update).map_err(sim_error)?;
            } else {
                sim.create_merchant(serde_json::from_value(cfg).map_err(AppError::internal)?);
            }
        }
    }
    Ok(())
}

/// Re-creates every stored sandbox account in the (in-memory) emulator.
pub async fn sync_all(state: &AppState) -> AppResult<usize> {
    let ids = queries::list(&state.db, None, None)
        .await?
        .into_iter()
        .filter(|m| m.environment == WechatEnv::Sandbox)
        .map(|m| m.id)
        .collect::<Vec<_>>();
    for id in &ids {
        if let Err(e) = sync_account(state, *id).await {
            tracing::warn!(account_id = id, error = %e, "could not load a sandbox account into the emulator");
        }
    }
    Ok(ids.len())
}

fn outcome_str(o: Outcome) -> &'static str {
    match o {
        Outcome::Replied => "replied",
        Outcome::NoReply => "no_reply",
        Outcome::InvalidReply => "invalid_reply",
        Outcome::Failed => "failed",
        Outcome::NoCallbackUrl => "no_callback_url",
        Outcome::Acknowledged => "acknowledged",
    }
}

fn text_of(msg_type: &str, content: &Value) -> String {
    let field = |k: &str| content.get(k).and_then(Value::as_str).map(str::to_string);
    match msg_type {
        "text" => field("Content").or_else(|| field("content")),
        "news" => content
            .pointer("/Articles/item/Title")
            .or_else(|| content.pointer("/Articles/0/Title"))
            .and_then(Value::as_str)
            .map(|t| format!("[图文] {t}")),
        "image" => Some("[图片]".into()),
        "voice" => Some("[语音]".into()),
        "video" => Some("[视频]".into()),
        "music" => Some("[音乐]".into()),
        _ => None,
    }
    .unwrap_or_else(|| content.to_string())
}

fn result_of(
    d: &Delivery,
    subject: Option<String>,
    inbox: Vec<wechat_sim::oa::model::InboxItem>,
) -> SandboxActResult {
    let attempts: Vec<DeliveryAttempt> = d
        .attempts
        .iter()
        .map(|a| DeliveryAttempt {
            status: a.status,
            error: a.error.clone(),
            elapsed_ms: a.elapsed_ms,
            response: a.response.clone(),
        })
        .collect();
    let seen = inbox
        .into_iter()
        .filter(|i| i.delivery_id == Some(d.id))
        .map(|i| SeenMessage {
            text: text_of(&i.msg_type, &i.content),
            source: i.source,
            msg_type: i.msg_type,
        })
        .collect();
    SandboxActResult {
        ok: matches!(
            d.outcome,
            Outcome::Replied | Outcome::NoReply | Outcome::Acknowledged
        ),
        outcome: outcome_str(d.outcome).into(),
        subject,
        url: d.url.clone(),
        http_status: d.attempts.last().and_then(|a| a.status),
        latency_ms: d.attempts.iter().map(|a| a.elapsed_ms).sum(),
        attempts,
        message: d.message.clone(),
        reply: d.reply.clone(),
        reply_error: d.reply_error.clone(),
        seen,
        payment: None,
    }
}

fn verify_result(v: VerifyResult) -> SandboxActResult {
    SandboxActResult {
        ok: v.ok,
        outcome: if v.ok { "verified" } else { "verify_failed" }.into(),
        subject: None,
        url: v.url,
        http_status: v.status,
        latency_ms: 0,
        attempts: vec![DeliveryAttempt {
            status: v.status,
            error: v.error.clone(),
            elapsed_ms: 0,
            response: v.body.clone(),
        }],
        message: format!("GET with echostr; expected the body {:?}", v.expected),
        reply: Some(v.body),
        reply_error: v.error,
        seen: Vec::new(),
        payment: None,
    }
}

fn unsupported(kind: AccountKind, action: &SandboxAction) -> AppError {
    AppError::BadRequest(format!(
        "{} cannot be simulated on a {} account",
        action.name(),
        kind.as_str()
    ))
}

/// A ticket of a temporary parameter QR code with `scene`, created through the real
/// `qrcode/create` API of the sandbox.
async fn qr_ticket(state: &AppState, id: i64, scene: &str) -> AppResult<String> {
    let oa = wechat_clients::oa(state, id).await?;
    let qr = oa
        .qrcode_create(&QrCodeRequest::TemporaryStr {
            expire_seconds: 3600,
            scene_str: scene.to_string(),
        })
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    Ok(qr.ticket)
}

/// Acts as a follower (OA) or member (WeCom) of a sandbox account and returns the delivery.
pub async fn act(
    state: &AppState,
    account: account::Model,
    req: SandboxActRequest,
) -> AppResult<SandboxActResult> {
    let acc = SandboxAccount::of(account)?;
    let id = acc.model.id;
    sync_account(state, id).await?;
    let sim = running(state)?.sim.clone();
    let subject = req
        .subject
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    match *acc.model.kind {
        AccountKind::OfficialAccount => {
            let appid = v(&acc.stored.app_id);
            let action = match req.action {
                SandboxAction::VerifyUrl => {
                    let r = sim.oa_verify_url(&appid).await.map_err(sim_error)?;
                    return Ok(verify_result(r));
                }
                SandboxAction::Subscribe { scene } => {
                    let ticket = match scene.filter(|s| !s.trim().is_empty()) {
                        Some(s) => Some(qr_ticket(state, id, s.trim()).await?),
                        None => None,
                    };
                    FollowerAction::Subscribe { ticket }
                }
                SandboxAction::Unsubscribe => FollowerAction::Unsubscribe,
                SandboxAction::Scan { scene } => FollowerAction::Scan {
                    ticket: qr_ticket(state, id, scene.trim()).await?,
                },
                SandboxAction::Text { content } => FollowerAction::Text { content },
                SandboxAction::Image => FollowerAction::Image { pic_url: None },
                SandboxAction::Location {
                    latitude,
                    longitude,
                    label,
                } => FollowerAction::Location {
                    latitude,
                    longitude,
                    scale: Some(15),
                    label,
                },
                SandboxAction::Link {
                    title,
                    url,
                    description,
                } => FollowerAction::Link {
                    title,
                    description,
                    url,
                },
                SandboxAction::Click { key } => FollowerAction::Click { key },
                other @ (SandboxAction::EnterAgent
                | SandboxAction::View { .. }
                | SandboxAction::SuiteTicket
                | SandboxAction::PayProduct { .. }
                | SandboxAction::PayCode { .. }) => {
                    return Err(unsupported(*acc.model.kind, &other));
                }
            };
            let needs_subject = !matches!(
                action,
                FollowerAction::Subscribe { .. } | FollowerAction::Scan { .. }
            );
            if needs_subject && subject.is_none() {
                return Err(AppError::BadRequest("choose a follower (subject)".into()));
            }
            let r = sim
                .oa_act(&appid, subject.as_deref(), action)
                .await
                .map_err(sim_error)?;
            let inbox = sim.oa_inbox(&appid, &r.openid).unwrap_or_default();
            Ok(result_of(&r.delivery, Some(r.openid), inbox))
        }
        AccountKind::WorkApp => {
            let corpid = v(&acc.stored.corp_id);
            let agentid = acc.stored.agent_id.unwrap_or_default();
            let action = match req.action {
                SandboxAction::VerifyUrl => {
                    let r = sim
                        .work_verify_url(&corpid, Some(agentid))
                        .await
                        .map_err(sim_error)?;
                    return Ok(verify_result(r));
                }
                SandboxAction::Text { content } => MemberAction::Text { content },
                SandboxAction::Image => MemberAction::Image { pic_url: None },
                SandboxAction::Location {
                    latitude,
                    longitude,
                    label,
                } => MemberAction::Location {
                    latitude,
                    longitude,
                    label,
                },
                SandboxAction::Click { key } => MemberAction::Click { key },
                SandboxAction::EnterAgent => MemberAction::EnterAgent,
                SandboxAction::View { url } => MemberAction::View { url },
                other => return Err(unsupported(*acc.model.kind, &other)),
            };
            let userid =
                subject.ok_or_else(|| AppError::BadRequest("choose a member (subject)".into()))?;
            let r = sim
                .work_act(&corpid, agentid, &userid, action)
                .await
                .map_err(sim_error)?;
            let inbox = sim.work_inbox(&corpid, &userid).unwrap_or_default();
            Ok(result_of(&r.delivery, Some(userid), inbox))
        }
        AccountKind::WorkSuite => match req.action {
            // A suite's instruction URL is checked by the suite_ticket push itself (older
            // clients send `verify_url` for it): send one now.
            SandboxAction::SuiteTicket | SandboxAction::VerifyUrl => {
                let suite_id = v(&acc.stored.suite_id);
                let d = sim.push_suite_ticket(&suite_id).await.map_err(sim_error)?;
                let mut r = result_of(&d, None, Vec::new());
                // An instruction has no reply: `success` means the portal took the ticket.
                if r.ok {
                    r.outcome = "ticket_accepted".into();
                }
                Ok(r)
            }
            other => Err(unsupported(*acc.model.kind, &other)),
        },
        AccountKind::PayMerchant => {
            let code = match req.action {
                SandboxAction::PayProduct { product_id } => {
                    let m = crate::pay::merchant::require(state, id).await?;
                    crate::pay::products::find(&state.db, product_id)
                        .await?
                        .filter(|p| p.account_id == id)
                        .ok_or(AppError::NotFound)?;
                    crate::pay::pages::mode1_code(&m, product_id)
                }
                SandboxAction::PayCode { code } => code.trim().to_string(),
                other => return Err(unsupported(*acc.model.kind, &other)),
            };
            pay_as_payer(state, id, &sim, code, subject).await
        }
    }
}

/// The payer scans `code` and pays; waits (a few seconds at most) for the payment notification
/// to reach the portal, then reports the order as the portal sees it.
async fn pay_as_payer(
    state: &AppState,
    merchant_id: i64,
    sim: &wechat_sim::Sim,
    code: String,
    payer: Option<String>,
) -> AppResult<SandboxActResult> {
    use wechat_sim::pay::payer::PayerAction;
    let paid = match sim
        .pay_act(PayerAction::Scan {
            code,
            openid: payer.clone(),
        })
        .await
    {
        Ok(p) => p,
        // What the payer sees in WeChat (bad code, expired or closed order, a refused scan
        // callback): shown as the result, not as a failed request.
        Err(e) => {
            return Ok(SandboxActResult {
                ok: false,
                outcome: "payment_failed".into(),
                subject: payer,
                url: String::new(),
                http_status: None,
                latency_ms: 0,
                attempts: Vec::new(),
                message: String::new(),
                reply: None,
                reply_error: Some(e.to_string()),
                seen: Vec::new(),
                payment: None,
            });
        }
    };
    let mut order = None;
    for _ in 0..50 {
        order =
            crate::pay::orders::find_by_out_trade_no(&state.db, merchant_id, &paid.out_trade_no)
                .await?;
        if order
            .as_ref()
            .is_some_and(|o| o.state != OrderState::NotPay)
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let mut result = match &paid.scan_callback {
        Some(d) => result_of(d, Some(paid.openid.clone()), Vec::new()),
        None => SandboxActResult {
            ok: true,
            outcome: String::new(),
            subject: Some(paid.openid.clone()),
            url: String::new(),
            http_status: None,
            latency_ms: 0,
            attempts: Vec::new(),
            message: String::new(),
            reply: None,
            reply_error: None,
            seen: Vec::new(),
            payment: None,
        },
    };
    result.ok = true;
    result.outcome = "paid".into();
    result.payment = Some(api::sandbox::SandboxPayment {
        order_id: order.as_ref().map(|o| o.id),
        order_url: format!("/pay/{merchant_id}/orders/{}", paid.out_trade_no),
        state: order
            .map_or(OrderState::NotPay, |o| *o.state)
            .as_str()
            .to_string(),
        out_trade_no: paid.out_trade_no,
        transaction_id: paid.transaction_id,
    });
    Ok(result)
}

/// Followers (OA) or members (WeCom) of a sandbox account, filtered by `q`, 20 a page.
pub async fn people(
    state: &AppState,
    account: account::Model,
    q: Option<&str>,
    page: PageQuery,
) -> AppResult<Page<SandboxPerson>> {
    let acc = SandboxAccount::of(account)?;
    let id = acc.model.id;
    sync_account(state, id).await?;
    let sim = running(state)?.sim.clone();
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let all: Vec<SandboxPerson> = match *acc.model.kind {
        AccountKind::OfficialAccount => {
            let app = sim
                .oa_app(&v(&acc.stored.app_id))
                .ok_or(AppError::NotFound)?;
            let tags: BTreeMap<i64, String> =
                app.tags.iter().map(|(k, t)| (*k, t.name.clone())).collect();
            let mut list: Vec<_> = app.followers.values().cloned().collect();
            // Newest followers first, like WeChat's console.
            list.sort_by(|a, b| {
                b.subscribe_time
                    .cmp(&a.subscribe_time)
                    .then(a.openid.cmp(&b.openid))
            });
            list.into_iter()
                .map(|f| SandboxPerson {
                    tags: f
                        .tagid_list
                        .iter()
                        .filter_map(|t| tags.get(t).cloned())
                        .collect(),
                    id: f.openid,
                    name: f.nickname,
                    subscribed: f.subscribed,
                })
                .collect()
        }
        AccountKind::WorkApp => {
            let corp = sim
                .corp(&v(&acc.stored.corp_id))
                .ok_or(AppError::NotFound)?;
            corp.members
                .values()
                .map(|m| SandboxPerson {
                    id: m.userid.clone(),
                    name: m.name.clone(),
                    subscribed: true,
                    tags: m
                        .department
                        .iter()
                        .map(|d| {
                            corp.departments
                                .get(d)
                                .map(|x| x.name.clone())
                                .or_else(|| people::department_name(*d).map(str::to_string))
                                .unwrap_or_else(|| d.to_string())
                        })
                        .collect(),
                })
                .collect()
        }
        // Payers: the followers of the Official Account the merchant is bound to (if the
        // sandbox has it), so a payment can be made "as" a known follower.
        AccountKind::PayMerchant => sim
            .oa_app(&v(&acc.stored.app_id))
            .map(|app| {
                let mut list: Vec<_> = app.followers.values().cloned().collect();
                list.sort_by(|a, b| a.openid.cmp(&b.openid));
                list.into_iter()
                    .map(|f| SandboxPerson {
                        id: f.openid,
                        name: f.nickname,
                        subscribed: f.subscribed,
                        tags: Vec::new(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let q = q.map(str::trim).filter(|q| !q.is_empty());
    let filtered: Vec<SandboxPerson> = all
        .into_iter()
        .filter(|p| {
            q.is_none_or(|q| {
                p.id.contains(q) || p.name.contains(q) || p.tags.iter().any(|t| t.contains(q))
            })
        })
        .collect();
    let page = page.clamped();
    let total = filtered.len() as u64;
    let items = filtered
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.per_page as usize)
        .collect();
    Ok(Page {
        items,
        total,
        page: page.page,
        per_page: page.per_page,
    })
}

/// Fetches a token through the shared token manager (Pay: a signed order query) and reports
/// whether the account's credentials work. Never returns the token.
pub async fn test_connection(
    state: &AppState,
    model: &account::Model,
) -> AppResult<TestConnectionResult> {
    let id = model.id;
    if model.environment == WechatEnv::Sandbox && state.wechat.sandbox().is_some() {
        sync_account(state, id).await?;
    }
    let acc = wechat_clients::for_account(state, id).await?;
    let before = match &acc.token_key {
        Some(k) => acc.tokens.peek(k).await.ok().flatten().is_some(),
        None => false,
    };
    let method = match &acc.client {
        Client::Oa(_) => "stable_token",
        Client::Work(_) => "gettoken",
        Client::Suite(_) => "get_suite_token",
        Client::Pay(_) => "orderquery",
    };
    let outcome: Result<String, wechat::Error> = match &acc.client {
        Client::Oa(c) => c
            .access_token()
            .await
            .map(|_| "access token obtained (stable_token)".to_string()),
        Client::Work(c) => c
            .access_token()
            .await
            .map(|_| "access token obtained (gettoken)".to_string()),
        Client::Suite(c) => c
            .suite_access_token()
            .await
            .map(|_| "suite access token obtained (get_suite_token)".to_string()),
        Client::Pay(c) => {
            let probe = format!(
                "wxportal-probe-{}",
                crate::auth::passwords::random_alnum(12)
            );
            match c
                .order_query(&wechat::pay::OrderRef::OutTradeNo(probe))
                .await
            {
                Ok(_) => Ok("signed orderquery answered and verified".into()),
                Err(wechat::Error::Pay(wechat::error::PayError::ResultFail { err_code, .. }))
                    if err_code == "ORDERNOTEXIST" =>
                {
                    Ok("signed orderquery for a nonexistent order: ORDERNOTEXIST, signature verified — the API key works".into())
                }
                Err(e) => Err(e),
            }
        }
    };
    let fetches_today = match &acc.token_key {
        Some(k) => acc.tokens.fetches_today(k).await.unwrap_or(0),
        None => 0,
    };
    let environment = acc.environment;
    Ok(match outcome {
        Ok(what) => TestConnectionResult {
            ok: true,
            detail: if before {
                format!("{what}; served from the shared token cache")
            } else {
                what
            },
            fetches_today,
            environment,
            errcode: None,
            hint: None,
            method: method.into(),
            cached: before,
        },
        Err(e) => {
            let w = e.as_wechat();
            let hint = match (&e, w) {
                (_, Some(w)) => w.hint.map(str::to_string),
                (wechat::Error::Invalid(m), _) if m.contains("suite_ticket") => Some(
                    "WeChat pushes the suite_ticket to the suite's callback URL every 10 minutes; it is stored once the callback gateway receives it"
                        .into(),
                ),
                (wechat::Error::Pay(wechat::error::PayError::ReturnFail { .. }), _)
                | (wechat::Error::Pay(wechat::error::PayError::SignatureMismatch), _) => Some(
                    "check the API key (32 characters, set in the merchant platform) and the sign type"
                        .into(),
                ),
                (wechat::Error::Http(_), _) => Some(match environment {
                    WechatEnv::Sandbox => "the sandbox did not answer".to_string(),
                    WechatEnv::Production => {
                        "check this server's outbound network access to WeChat".to_string()
                    }
                }),
                _ => None,
            };
            TestConnectionResult {
                ok: false,
                detail: wechat_clients::describe(&e),
                fetches_today,
                environment,
                errcode: w.map(|w| w.code),
                hint,
                method: method.into(),
                cached: false,
            }
        }
    })
}
