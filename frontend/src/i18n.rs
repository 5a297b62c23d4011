//! Every UI string, in Simplified Chinese (default) and English.
//!
//! Strings are looked up by key: `K::Save.text(lang)`, or reactively through [`I18n::t`].
//! Placeholders such as `{n}` are filled with [`fill`].

use api::Lang;
use leptos::prelude::*;

macro_rules! keys {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A UI string key.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum K {
            $($key,)*
        }

        impl K {
            /// Every key, for tests.
            pub const ALL: &'static [K] = &[$(K::$key,)*];

            /// `(Chinese, English)`.
            pub fn pair(self) -> (&'static str, &'static str) {
                match self {
                    $(K::$key => ($zh, $en),)*
                }
            }
        }
    };
}

impl K {
    pub fn text(self, lang: Lang) -> &'static str {
        let (zh, en) = self.pair();
        match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}

/// Replaces `{name}` in `template` with `value`.
pub fn fill(template: &str, name: &str, value: &str) -> String {
    template.replace(&format!("{{{name}}}"), value)
}

keys! {
    // ---- shell ----
    AppName => "wxportal", "wxportal";
    AppTagline => "微信运营管理后台", "WeChat operations console";
    NavAccounts => "账号管理", "Accounts";
    NavStaff => "员工账号", "Staff";
    NavAudit => "审计日志", "Audit log";
    NavSectionOperate => "运营", "Operate";
    NavSectionAdmin => "系统管理", "Administration";
    OtherLanguage => "English", "中文";
    SwitchLanguageTitle => "切换语言", "Switch language";
    Logout => "退出登录", "Sign out";
    LoggedOut => "已退出登录", "Signed out";
    ChangePassword => "修改密码", "Change password";
    Menu => "菜单", "Menu";
    AccountSections => "账号功能", "Account sections";
    TabOverview => "概览", "Overview";
    OpenPayConsole => "订单与账单", "Orders & bills";
    TabRules => "自动回复", "Auto-reply";
    TabMessages => "消息", "Messages";
    TabInspector => "回调检查", "Inspector";
    CloseMenu => "关闭菜单", "Close menu";
    RoleAdmin => "管理员", "Admin";
    RoleOperator => "运营人员", "Operator";
    RoleViewer => "只读成员", "Viewer";

    // ---- common ----
    Loading => "加载中…", "Loading…";
    Retry => "重试", "Retry";
    LoadFailed => "加载失败", "Could not load";
    Save => "保存", "Save";
    Saving => "保存中…", "Saving…";
    Cancel => "取消", "Cancel";
    Delete => "删除", "Delete";
    Deleting => "删除中…", "Deleting…";
    Edit => "编辑", "Edit";
    Confirm => "确定", "OK";
    Back => "返回", "Back";
    Close => "关闭", "Close";
    Copy => "复制", "Copy";
    Copied => "已复制", "Copied";
    CopyFailed => "复制失败，请手动选择复制", "Copy failed: select the text and copy it manually";
    All => "全部", "All";
    PrevPage => "上一页", "Previous";
    NextPage => "下一页", "Next";
    TotalItems => "共 {n} 条", "{n} in total";
    PerPage => "{n} 条/页", "{n} / page";
    NotSet => "未设置", "Not set";
    IsSet => "已设置", "Set";
    Never => "从未登录", "Never";
    CreatedAt => "创建时间", "Created";
    UpdatedAt => "更新时间", "Updated";
    Actions => "操作", "Actions";
    Required => "必填", "Required";
    Optional => "可选", "Optional";
    FixFieldErrors => "请先修正标出的字段", "Please fix the highlighted fields";
    NoPermissionTitle => "没有访问权限", "No access";
    NoPermissionBody => "你的角色无权查看此页面。如需访问，请联系管理员。", "Your role cannot open this page. Ask an admin if you need access.";
    NotFoundTitle => "页面不存在", "Page not found";
    NotFoundBody => "链接可能有误，或者内容已被删除。", "The link may be wrong, or the item was deleted.";
    GoToAccounts => "返回账号列表", "Back to accounts";
    ClearFilters => "清除筛选", "Clear filters";
    SearchPlaceholder => "搜索", "Search";
    Refresh => "刷新", "Refresh";

    // ---- errors by API code ----
    ErrInvalidCredentials => "用户名或密码错误", "Wrong username or password";
    ErrRateLimited => "尝试次数过多，请稍后再试", "Too many attempts. Please try again later";
    ErrNetwork => "无法连接服务器，请检查网络后重试", "Cannot reach the server. Check your connection and retry";
    ErrConflict => "与已有记录重复", "This duplicates an existing record";
    ErrStateConflict => "操作与当前数据冲突", "This conflicts with the current data";
    ErrNotFound => "内容不存在或已被删除", "Not found, or it has been deleted";
    ErrForbidden => "你没有权限执行此操作", "You are not allowed to do this";
    ErrUnauthenticated => "登录已失效，请重新登录", "Your session has ended. Please sign in again";
    ErrPasswordChangeRequired => "请先修改密码", "Please change your password first";
    ErrValidation => "提交的内容有误，请检查标出的字段", "Some fields are invalid. Please check the highlighted fields";
    ErrPayloadTooLarge => "提交的内容过大", "The request is too large";
    ErrBadRequest => "请求无效", "The request is invalid";
    ErrInternal => "服务器出错了，请稍后重试", "Server error. Please try again later";
    ErrWechat => "微信接口返回错误", "WeChat returned an error";
    ErrUnknown => "操作失败", "Something went wrong";

    // ---- login ----
    LoginTitle => "登录", "Sign in";
    LoginSubtitle => "使用员工账号登录管理后台", "Sign in with your staff account";
    LoginHero => "在一个地方管理公众号、企业微信与微信支付", "Official Accounts, WeCom and WeChat Pay, managed in one place";
    LoginHeroPoint1 => "多账号统一管理，回调地址一键复制", "Many accounts in one console, callback URLs one click away";
    LoginHeroPoint2 => "内置沙箱，无需真实账号即可试用", "Built-in sandbox: try everything without a real account";
    LoginHeroPoint3 => "角色权限与完整的审计日志", "Roles and a complete audit log";
    Username => "用户名", "Username";
    Password => "密码", "Password";
    LoginSubmit => "登录", "Sign in";
    LoggingIn => "登录中…", "Signing in…";
    LoginMissing => "请输入用户名和密码", "Enter your username and password";

    // ---- password ----
    PwTitle => "修改密码", "Change password";
    PwForcedTitle => "请设置新密码", "Choose a new password";
    PwForcedNotice => "这是首次登录，或管理员重置了你的密码。设置新密码后才能继续使用。", "This is your first sign-in, or an admin reset your password. Choose a new password to continue.";
    PwCurrent => "当前密码", "Current password";
    PwNew => "新密码", "New password";
    PwConfirm => "确认新密码", "Confirm new password";
    PwPolicy => "至少 10 位，需同时包含字母和数字，且不能与用户名相同", "At least 10 characters with letters and digits, different from the username";
    PwMismatch => "两次输入的密码不一致", "The passwords do not match";
    PwSameAsCurrent => "新密码不能与当前密码相同", "The new password must differ from the current one";
    PwWrongCurrent => "当前密码不正确", "The current password is wrong";
    PwSubmit => "确认修改", "Change password";
    PwChanged => "密码已修改", "Password changed";
    PwStrengthWeak => "弱", "Weak";
    PwStrengthFair => "中", "Fair";
    PwStrengthStrong => "强", "Strong";
    PwStrength => "密码强度", "Strength";

    // ---- account kinds and enums ----
    KindOfficialAccount => "公众号", "Official Account";
    KindWorkApp => "企业微信应用", "WeCom app";
    KindPayMerchant => "微信支付商户", "WeChat Pay merchant";
    KindWorkSuite => "企业微信第三方应用", "WeCom third-party app";
    KindDescOfficialAccount => "服务号或订阅号，接收粉丝消息与事件", "A service or subscription account receiving followers' messages and events";
    KindDescWorkApp => "企业内部自建应用，接收成员消息与事件", "A self-built WeCom app receiving members' messages and events";
    KindDescPayMerchant => "收款、退款与对账", "Payments, refunds and reconciliation";
    KindDescWorkSuite => "服务商代开发或第三方应用，接收授权与指令回调", "A provider's suite receiving authorisation and command callbacks";
    EnvProduction => "生产", "Production";
    EnvSandbox => "沙箱", "Sandbox";
    EnvProductionDesc => "连接真实的微信服务器", "Talks to the real WeChat servers";
    EnvSandboxDesc => "连接内置沙箱（模拟的微信服务器），不会访问真实微信", "Talks to the built-in sandbox (a simulated WeChat); never reaches the real servers";
    SandboxBanner => "沙箱账号：所有请求都发往内置的模拟微信服务器，不会影响真实的微信账号。", "Sandbox account: every request goes to the built-in simulated WeChat, never to the real one.";
    ModePlain => "明文模式", "Plain text";
    ModeCompatible => "兼容模式", "Compatible";
    ModeSafe => "安全模式（推荐）", "Safe mode (recommended)";
    ModeSafeShort => "安全模式", "Safe mode";

    // ---- accounts list ----
    AccountsTitle => "账号管理", "Accounts";
    AccountsSubtitle => "公众号、企业微信应用、微信支付商户与企业微信第三方应用", "Official Accounts, WeCom apps, WeChat Pay merchants and WeCom third-party apps";
    AccountsNew => "新建账号", "New account";
    AccountsSearchPlaceholder => "搜索名称、AppID、CorpID 或商户号", "Search name, AppID, CorpID or merchant ID";
    AccountsEmptyTitle => "还没有账号", "No accounts yet";
    AccountsEmptyBody => "添加第一个公众号、企业微信应用或微信支付商户，即可获得回调地址并开始对接。", "Add your first Official Account, WeCom app or WeChat Pay merchant to get its callback URL.";
    AccountsEmptyViewer => "管理员或运营人员添加账号后会显示在这里。", "Accounts appear here once an admin or operator adds them.";
    AccountsNoMatchTitle => "没有符合条件的账号", "No matching accounts";
    AccountsNoMatchBody => "换个关键词，或清除筛选条件试试。", "Try another search, or clear the filters.";
    ColName => "名称", "Name";
    ColKind => "类型", "Type";
    ColEnv => "环境", "Environment";
    ColIdentifier => "标识", "Identifier";
    StatTotal => "账号总数", "Accounts";
    StatByKind => "按类型", "By type";
    StatByEnv => "按环境", "By environment";
    StatSandboxCount => "{n} 个沙箱账号", "{n} in the sandbox";

    // ---- account form ----
    AccountCreateTitle => "新建账号", "New account";
    AccountCreateSubtitle => "先选择账号类型，表单会列出该类型需要的信息。", "Choose the type first; the form then asks for what that type needs.";
    AccountEditTitle => "编辑账号", "Edit account";
    SectionBasic => "基本信息", "Basics";
    SectionCredentials => "开发者凭据", "Developer credentials";
    SectionServer => "服务器配置", "Server configuration";
    SectionCert => "API 证书", "API certificate";
    SectionProvider => "服务商信息", "Provider";
    FieldKind => "账号类型", "Account type";
    FieldName => "名称", "Name";
    FieldNameHelp => "仅在后台中用于识别，例如「官方服务号」", "For your own reference, e.g. “Main service account”";
    FieldEnvironment => "微信环境", "WeChat environment";
    FieldAppId => "开发者 ID (AppID)", "AppID";
    FieldAppIdHelp => "在公众平台「设置与开发 › 基本配置」中查看", "Shown under Settings & Development › Basic configuration";
    FieldAppSecret => "开发者密码 (AppSecret)", "AppSecret";
    FieldToken => "令牌 (Token)", "Token";
    FieldTokenHelp => "3–32 位字母或数字，需与微信后台填写的一致", "3–32 letters or digits, the same as in WeChat's console";
    FieldAesKey => "消息加解密密钥 (EncodingAESKey)", "EncodingAESKey";
    FieldAesKeyHelp => "43 位字母或数字，需与微信后台填写的一致", "43 letters or digits, the same as in WeChat's console";
    FieldAesKeyPlainHelp => "明文模式下可不填", "Optional in plain-text mode";
    FieldMessageMode => "消息加解密方式", "Message encryption";
    FieldOriginalId => "原始 ID", "Original ID";
    FieldOriginalIdHelp => "以 gh_ 开头，在「设置与开发 › 公众号设置」中查看", "Starts with gh_; see Settings & Development › Account settings";
    FieldCorpId => "企业 ID (CorpID)", "Corp ID";
    FieldCorpIdHelp => "在企业微信管理后台「我的企业 › 企业信息」中查看", "See My Company › Company Info in the WeCom admin console";
    FieldAgentId => "AgentId", "AgentId";
    FieldSecret => "应用 Secret", "App Secret";
    FieldContactsSecret => "通讯录同步 Secret", "Contacts sync Secret";
    FieldMchId => "商户号", "Merchant ID";
    FieldPayAppId => "关联的 AppID", "Bound AppID";
    FieldPayAppIdHelp => "商户号绑定的公众号 AppID", "The Official Account AppID the merchant is bound to";
    FieldApiKey => "API 密钥", "API key";
    FieldApiKeyHelp => "在商户平台「账户中心 › API 安全」中设置的 32 位密钥", "The 32-character key set under Account Centre › API Security";
    FieldSignType => "签名方式", "Signature type";
    SignMd5 => "MD5", "MD5";
    SignHmacSha256 => "HMAC-SHA256", "HMAC-SHA256";
    FieldClientCert => "API 证书 (apiclient_cert.p12)", "API certificate (apiclient_cert.p12)";
    FieldClientCertHelp => "退款等接口需要，可稍后上传", "Needed for refunds; you can upload it later";
    FieldClientCertPassword => "证书密码", "Certificate password";
    FieldClientCertPasswordPlaceholder => "默认为商户号", "Defaults to the merchant ID";
    FieldSuiteId => "SuiteID", "SuiteID";
    FieldSuiteSecret => "SuiteSecret", "SuiteSecret";
    FieldProviderCorpId => "服务商 CorpID", "Provider Corp ID";
    FieldProviderSecret => "服务商 Secret (ProviderSecret)", "Provider Secret";
    ChooseFile => "选择文件", "Choose file";
    NoFileChosen => "未选择文件", "No file chosen";
    FileReadFailed => "无法读取该文件", "Could not read the file";
    GenerateRandom => "随机生成", "Generate";
    SecretKeepHint => "当前值：{masked}。留空则保持不变，填写则替换。", "Current: {masked}. Leave empty to keep it; type a new value to replace it.";
    SecretUnsetHint => "尚未设置，填写后保存。", "Not set yet; type a value to set it.";
    SecretAdminOnly => "当前值：{masked}。仅管理员可以更换密钥。", "Current: {masked}. Only admins can replace secrets.";
    CallbackAfterCreate => "保存后会生成该账号专属的回调地址 (URL)，填写到微信后台即可。", "After saving, the account gets its own callback URL to enter in WeChat's console.";
    NothingChanged => "没有需要保存的修改", "Nothing changed";
    AccountCreated => "账号已创建", "Account created";
    AccountSaved => "修改已保存", "Changes saved";
    AccountDeleted => "账号已删除", "Account deleted";
    AccountConflict => "已存在相同标识（AppID / CorpID / 商户号 / SuiteID）的账号", "An account with the same AppID / CorpID / merchant ID / SuiteID already exists";
    ViewerCannotEdit => "只读成员不能修改账号", "Viewers cannot change accounts";
    CredentialsFailed => "生成失败，请重试", "Could not generate; please retry";

    // ---- account detail ----
    CallbackUrl => "服务器地址 (URL)", "Callback URL";
    CallbackHintOfficialAccount => "在公众平台「设置与开发 › 基本配置 › 服务器配置」中填写以下信息，并选择相同的消息加解密方式。", "In the Official Account platform, open Settings & Development › Basic configuration › Server configuration and enter these values with the same encryption mode.";
    CallbackHintWorkApp => "在企业微信管理后台「应用管理 › 应用 › 接收消息 › 设置 API 接收」中填写以下信息。", "In the WeCom admin console, open App Management › your app › Receive Messages › Set API Receive and enter these values.";
    CallbackHintWorkSuite => "在服务商管理后台「应用管理 › 应用详情 › 回调配置」中填写以下信息（数据回调与指令回调）。", "In the WeCom provider console, open the app's callback configuration and enter these values (data and command callbacks).";
    AesKeyMaskedNote => "出于安全考虑不显示明文；如已遗失，可在编辑页生成新的密钥并同步到微信后台。", "Not shown in clear for safety. If lost, generate a new one on the edit page and update WeChat's console.";
    SectionSecrets => "密钥", "Secrets";
    SecretsNote => "密钥加密保存，只显示掩码。", "Secrets are stored encrypted and only shown masked.";
    AccountId => "账号 ID", "Account ID";
    DeleteAccountTitle => "删除账号", "Delete account";
    DeleteAccountBody => "确定删除「{name}」吗？账号配置和密钥将被永久删除，微信发往该回调地址的消息将不再被处理。", "Delete “{name}”? Its settings and secrets are removed for good, and WeChat's calls to its callback URL will no longer be handled.";
    ClientCert => "API 证书", "API certificate";
    Uploaded => "已上传", "Uploaded";
    NotUploaded => "未上传", "Not uploaded";

    // ---- staff ----
    StaffTitle => "员工账号", "Staff";
    StaffSubtitle => "管理可以登录后台的成员及其角色", "Who can sign in to this console, and what they may do";
    StaffNew => "新建用户", "New user";
    StaffCreateTitle => "新建用户", "New user";
    StaffSearchPlaceholder => "搜索用户名", "Search username";
    FieldUsername => "用户名", "Username";
    FieldUsernameHelp => "3–32 位小写字母、数字、点、横线或下划线", "3–32 lower-case letters, digits, dots, dashes or underscores";
    FieldInitialPassword => "初始密码", "Initial password";
    FieldInitialPasswordHelp => "用户首次登录时必须修改此密码", "The user must change it at first sign-in";
    FieldRole => "角色", "Role";
    RoleAdminDesc => "全部权限，包括员工、密钥与审计日志", "Everything, including staff, secrets and the audit log";
    RoleOperatorDesc => "日常运营，可编辑账号，但不能更换密钥或管理员工", "Day-to-day work: edits accounts, but cannot replace secrets or manage staff";
    RoleViewerDesc => "只能查看，不能修改", "Can look, cannot change";
    ColUsername => "用户名", "Username";
    ColRole => "角色", "Role";
    ColStatus => "状态", "Status";
    ColLastLogin => "最近登录", "Last sign-in";
    StatusActive => "正常", "Active";
    StatusDisabled => "已停用", "Disabled";
    StatusMustChange => "待修改密码", "Must change password";
    You => "你", "you";
    Disable => "停用", "Disable";
    Enable => "启用", "Enable";
    ResetPassword => "重置密码", "Reset password";
    ResetPasswordTitle => "重置「{name}」的密码", "Reset the password of “{name}”";
    ResetPasswordBody => "设置一个临时密码并告知对方；对方下次登录时必须修改。", "Set a temporary password and pass it on; they must change it at their next sign-in.";
    FieldTemporaryPassword => "临时密码", "Temporary password";
    StaffCreated => "用户已创建", "User created";
    StaffUpdated => "已更新", "Updated";
    StaffRoleChanged => "角色已更新", "Role changed";
    StaffDisabledToast => "用户已停用", "User disabled";
    StaffEnabledToast => "用户已启用", "User enabled";
    StaffDeleted => "用户已删除", "User deleted";
    StaffPasswordReset => "密码已重置，对方下次登录时需修改", "Password reset; they must change it at next sign-in";
    DeleteStaffTitle => "删除用户", "Delete user";
    DeleteStaffBody => "确定删除用户「{name}」吗？此操作不可撤销。", "Delete the user “{name}”? This cannot be undone.";
    UsernameTaken => "该用户名已被使用", "This username is taken";
    StaffEmptyTitle => "没有符合条件的用户", "No matching users";
    CannotChangeSelf => "不能修改自己的角色或状态", "You cannot change your own role or status";
    StatAdmins => "管理员", "Admins";

    // ---- audit ----
    AuditTitle => "审计日志", "Audit log";
    AuditSubtitle => "后台中的每一次修改都会记录在这里，最新的在前", "Every change made in this console, newest first";
    ColTime => "时间", "Time";
    ColActor => "操作人", "Actor";
    ColAction => "操作", "Action";
    ColTarget => "对象", "Target";
    ColSummary => "说明", "Summary";
    FilterActorPlaceholder => "按操作人筛选", "Filter by actor";
    FilterTargetType => "对象类型", "Target type";
    TargetAccount => "账号", "Account";
    TargetStaff => "员工", "Staff";
    AuditEmptyTitle => "暂无审计记录", "No audit entries";
    AuditEmptyBody => "符合条件的操作记录会显示在这里。", "Matching actions will be listed here.";
    ShowDetail => "详细数据", "Details";
    SummaryChanged => "修改字段", "Changed";
    SummaryReplaced => "更换密钥", "Replaced";
    ActAccountCreate => "创建账号", "Created account";
    ActAccountUpdate => "修改账号", "Updated account";
    ActAccountSecretReplace => "更换密钥", "Replaced secrets";
    ActAccountDelete => "删除账号", "Deleted account";
    ActStaffCreate => "创建用户", "Created user";
    ActStaffUpdate => "修改用户", "Updated user";
    ActStaffDelete => "删除用户", "Deleted user";
    ActPasswordChange => "修改密码", "Changed password";
    ActLogin => "登录", "Signed in";
    ActLogout => "退出登录", "Signed out";
    ActSystem => "系统", "System";
    AuditActivity => "近期操作", "Recent activity";
    AuditActivityHint => "本页记录按日期分布", "Entries on this page, by day";
    // ---- official account content: menus, materials, drafts ----
    TabMenus => "自定义菜单", "Menus";
    TabMaterials => "素材库", "Materials";
    TabDrafts => "图文草稿", "Drafts";
    MenusTitle => "自定义菜单", "Custom menu";
    MenusSubtitle => "编辑、校验并发布公众号菜单；每次发布都会保存为一个版本，可对比和回滚。", "Edit, check and publish the menu; every publish is kept as a version you can compare and roll back.";
    MenuPreview => "手机预览", "Phone preview";
    MenuAddTop => "添加菜单", "Add a button";
    MenuAddSub => "添加子菜单", "Add a sub-button";
    MenuDragHint => "拖动按钮调整顺序，也可以使用箭头按钮。", "Drag buttons to reorder them, or use the arrow buttons.";
    MenuSelectHint => "在手机预览中选择一个按钮进行编辑。", "Select a button in the phone preview to edit it.";
    MenuParentHint => "含子菜单的按钮只需要名称。", "A button with sub-buttons only needs a name.";
    MenuButtonName => "名称", "Name";
    MenuButtonType => "类型", "Type";
    MenuKey => "按钮 Key", "Key";
    MenuUrl => "网址", "URL";
    MenuMedia => "素材", "Material";
    MenuArticleId => "发布文章 ID（article_id）", "Article ID (article_id)";
    MenuAppId => "小程序 AppID", "Mini program AppID";
    MenuPagePath => "小程序页面路径", "Mini program page path";
    MenuBytesUsed => "已用 {n} 字节", "{n} bytes used";
    MenuMoveUp => "上移", "Move up";
    MenuMoveDown => "下移", "Move down";
    MenuMoveLeft => "左移", "Move left";
    MenuMoveRight => "右移", "Move right";
    MenuRemove => "删除此按钮", "Remove this button";
    MenuSaveDraft => "保存草稿", "Save draft";
    MenuDraftSaved => "草稿已保存", "Draft saved";
    MenuDraftFrom => "草稿由 {name} 保存", "Draft saved by {name}";
    MenuPublish => "发布到微信", "Publish to WeChat";
    MenuPublishing => "发布中…", "Publishing…";
    MenuPublishTitle => "发布菜单", "Publish the menu";
    MenuPublishWarn => "发布会替换在微信公众平台后台设置的菜单（启用服务器配置后，后台菜单本来就会停用）。", "Publishing replaces the menu set in WeChat's own console (which stops working anyway once server mode is on).";
    MenuPublished => "菜单已发布（版本 {n}）", "Menu published (version {n})";
    MenuNote => "版本备注", "Version note";
    MenuImport => "从微信导入", "Import from WeChat";
    MenuImported => "已导入为版本 {n}", "Imported as version {n}";
    MenuDelete => "删除菜单", "Delete menu";
    MenuDeleteBody => "将删除微信中的菜单以及全部个性化菜单。", "Deletes the menu and every conditional menu in WeChat.";
    MenuDeleted => "菜单已删除", "Menu deleted";
    MenuIssues => "{n} 个问题需要修正", "{n} problems to fix";
    MenuUnmatchedKey => "没有自动回复规则响应这个 key", "No auto-reply rule answers this key";
    MenuUnmatchedCount => "{n} 个点击按钮没有对应的自动回复规则", "{n} click buttons have no auto-reply rule";
    MenuEmpty => "还没有菜单按钮", "No buttons yet";
    MenuCurrent => "当前版本", "Current version";
    MenuNoVersion => "尚未发布", "Not published yet";
    MenuVersions => "版本记录", "Versions";
    MenuVersionN => "版本 {n}", "Version {n}";
    MenuVersionsEmpty => "发布或导入后，这里会列出每个版本。", "Each publish or import is listed here.";
    SourcePublished => "发布", "Published";
    SourceImported => "导入", "Imported";
    SourceRollback => "回滚", "Rollback";
    SourceDeleted => "删除", "Deleted";
    MenuCompare => "与上一版本对比", "Compare with previous";
    MenuNoChanges => "没有差异", "No differences";
    ChangeAdded => "新增", "Added";
    ChangeRemoved => "移除", "Removed";
    ChangeChanged => "修改", "Changed";
    MenuRollback => "回滚", "Roll back";
    MenuRollbackTitle => "回滚菜单", "Roll back the menu";
    MenuRollbackBody => "将把版本 {n} 重新发布到微信，并保存为新版本。", "Publishes version {n} to WeChat again and stores it as a new version.";
    MenuRolledBack => "已回滚（新版本 {n}）", "Rolled back (new version {n})";
    MenuLoadVersion => "载入编辑器", "Load into editor";
    TypeClick => "点击推事件", "Click (event)";
    TypeView => "跳转网页", "Open a web page";
    TypeScanPush => "扫码推事件", "Scan (event)";
    TypeScanWait => "扫码推事件且弹出提示", "Scan with a prompt";
    TypePicSys => "系统拍照发图", "Take a photo";
    TypePicAlbum => "拍照或者相册发图", "Photo or album";
    TypePicWeixin => "微信相册发图", "WeChat album";
    TypeLocation => "发送位置", "Send a location";
    TypeMedia => "下发素材", "Send a material";
    TypeArticle => "已发布图文", "Published article";
    TypeArticleLimited => "已发布图文（限制跳转）", "Published article (view limited)";
    TypeMiniprogram => "小程序", "Mini program";
    CondMenus => "个性化菜单", "Conditional menus";
    CondHint => "按标签、性别、客户端、语言或地区向部分粉丝展示不同菜单；按钮取自上方编辑器。", "Show a different menu to some followers by tag, sex, client, language or region; the buttons come from the editor above.";
    CondCreate => "用编辑器中的菜单创建", "Create from the editor's menu";
    CondCreated => "个性化菜单已创建", "Conditional menu created";
    CondDeleted => "个性化菜单已删除", "Conditional menu deleted";
    CondEmpty => "暂无个性化菜单", "No conditional menus";
    CondTag => "标签 ID", "Tag id";
    CondSex => "性别", "Sex";
    CondPlatform => "客户端", "Client";
    CondLanguage => "语言", "Language";
    CondCountry => "国家", "Country";
    CondProvince => "省份", "Province";
    CondCity => "城市", "City";
    CondAny => "不限", "Any";
    SexMale => "男", "Male";
    SexFemale => "女", "Female";
    PlatformIos => "苹果 iOS", "iOS";
    PlatformAndroid => "安卓 Android", "Android";
    PlatformOther => "其他", "Other";
    TryMatch => "按粉丝预览", "Preview as follower";
    TryMatchPlaceholder => "粉丝 OpenID 或微信号", "Follower's OpenID or WeChat ID";
    TryMatchRun => "预览", "Preview";
    MaterialsTitle => "素材库", "Materials";
    MaterialsSubtitle => "永久素材和临时素材（3 天后失效）；文件保存在微信，通过本系统预览和下载。", "Permanent materials and temporary media (gone after 3 days); files stay in WeChat and are previewed and downloaded through this portal.";
    KindImage => "图片", "Image";
    KindVoice => "语音", "Voice";
    KindVideo => "视频", "Video";
    KindThumb => "缩略图", "Thumbnail";
    AllKinds => "全部类型", "All types";
    Permanent => "永久", "Permanent";
    Temporary => "临时", "Temporary";
    AllLifetimes => "永久和临时", "Permanent and temporary";
    UploadMaterial => "上传素材", "Upload material";
    Uploading => "上传中…", "Uploading…";
    MaterialUploaded => "素材已上传", "Material uploaded";
    UploadAsTemporary => "作为临时素材（3 天后失效）", "As temporary media (gone after 3 days)";
    VideoTitle => "视频标题", "Video title";
    VideoIntro => "视频简介", "Video description";
    LimitImage => "图片：不超过 10 MB，bmp/png/jpeg/jpg/gif", "Image: up to 10 MB, bmp/png/jpeg/jpg/gif";
    LimitVoice => "语音：不超过 2 MB，amr/mp3", "Voice: up to 2 MB, amr/mp3";
    LimitVideo => "视频：不超过 10 MB，mp4", "Video: up to 10 MB, mp4";
    LimitThumb => "缩略图：不超过 64 KB，jpg", "Thumbnail: up to 64 KB, jpg";
    SyncFromWechat => "从微信同步", "Sync from WeChat";
    Syncing => "同步中…", "Syncing…";
    SyncDone => "同步完成", "Sync finished";
    QuotaUsage => "素材配额", "Quota";
    SearchMaterials => "搜索文件名、标题或 media_id", "Search name, title or media_id";
    MatName => "素材", "Material";
    MatSize => "大小", "Size";
    MatKind => "类型", "Type";
    MatLifetime => "有效期", "Lifetime";
    MatCreated => "上传时间", "Uploaded";
    MatActions => "操作", "Actions";
    MatExpired => "已过期", "Expired";
    MatExpiresIn => "{n} 小时后失效", "Expires in {n} h";
    Download => "下载", "Download";
    MaterialsEmpty => "还没有素材", "No materials yet";
    MaterialsEmptyBody => "上传文件，或从微信同步已有的素材。", "Upload a file, or sync the materials WeChat already has.";
    DeleteMaterialTitle => "删除素材", "Delete material";
    DeleteMaterialBody => "将同时从微信删除“{name}”。", "Deletes “{name}” in WeChat too.";
    MaterialDeleted => "素材已删除", "Material deleted";
    PickMaterial => "选择素材", "Choose a material";
    Pick => "选择", "Choose";
    NoneSelected => "未选择", "None selected";
    ChooseFromMaterials => "从素材库选择", "Choose from materials";
    MediaIdHelp => "可直接填写 media_id，或从永久素材中选择。", "Type a media id, or choose one of the permanent materials.";
    DraftsTitle => "图文草稿", "Article drafts";
    DraftsSubtitle => "编辑图文，发布到公众号并跟踪发布结果；发布后的文章链接会保留。", "Write articles, publish them and follow the result; published links are kept.";
    DraftNew => "新建图文", "New article";
    DraftEditTitle => "编辑图文", "Edit article";
    DraftTitle => "标题", "Title";
    DraftAuthor => "作者", "Author";
    DraftDigest => "摘要", "Digest";
    DraftContent => "正文（HTML）", "Content (HTML)";
    DraftCover => "封面", "Cover";
    DraftSourceUrl => "原文链接", "Source URL";
    DraftOpenComment => "打开评论", "Open comments";
    DraftFansOnly => "仅粉丝可评论", "Only followers may comment";
    DraftInsertImage => "插入图片", "Insert image";
    DraftImageInserted => "图片已上传并插入正文", "Image uploaded and inserted";
    DraftPreview => "正文预览", "Preview";
    DraftStatusDraft => "草稿", "Draft";
    DraftStatusPublishing => "发布中", "Publishing";
    DraftStatusPublished => "已发布", "Published";
    DraftStatusFailed => "发布失败", "Failed";
    AllStatuses => "全部状态", "All statuses";
    DraftPublish => "发布", "Publish";
    DraftPublishTitle => "发布图文", "Publish the article";
    DraftPublishBody => "将把“{name}”保存到微信草稿箱并发布给粉丝。", "Saves “{name}” in WeChat's draft box and publishes it.";
    DraftSubmitted => "已提交发布，等待微信的结果", "Submitted; waiting for WeChat's result";
    DraftRefresh => "查询发布结果", "Check the result";
    DraftLinks => "文章链接", "Article links";
    DraftSaved => "草稿已保存", "Draft saved";
    DraftDeleted => "草稿已删除", "Draft deleted";
    DeleteDraftTitle => "删除草稿", "Delete draft";
    DeleteDraftBody => "将删除“{name}”（包括微信草稿箱中的副本）。", "Deletes “{name}” (and its copy in WeChat's draft box).";
    DraftsEmpty => "还没有图文草稿", "No article drafts yet";
    DraftsEmptyBody => "新建一篇图文开始。", "Start with a new article.";
    SearchDrafts => "搜索标题或作者", "Search title or author";
    DraftUpdated => "更新时间", "Updated";
    NotOfficialAccount => "仅公众号支持此功能", "Only Official Accounts have this";
    // ---- sandbox: test connection, simulate ----
    TestConnection => "测试连接", "Test connection";
    Testing => "测试中…", "Testing…";
    TestConnectionHint => "用保存的凭据获取一次 access_token（支付：签名查询一个不存在的订单），令牌不会显示。", "Fetches an access token with the stored credentials (Pay: a signed query for a nonexistent order). The token is never shown.";
    ConnectionOk => "连接正常", "Connection works";
    ConnectionFailed => "连接失败", "Connection failed";
    FetchesToday => "今日已获取令牌 {n} 次", "Token fetched {n} times today";
    Hint => "建议", "Hint";
    Simulate => "模拟", "Simulate";
    SimulateHint => "扮演粉丝或成员向本账号发消息：沙箱按微信的方式回调本系统的回调地址，并显示对方看到的回复。", "Act as a follower or member: the sandbox calls this portal's callback URL the way WeChat does, and shows what they saw.";
    SimFollower => "粉丝", "Follower";
    SimMember => "成员", "Member";
    SimSearchPlaceholder => "搜索昵称、OpenID 或标签", "Search name, id or tag";
    SimAction => "动作", "Action";
    SimContent => "内容", "Content";
    SimText => "发送文字", "Send text";
    SimImage => "发送图片", "Send a picture";
    SimLocation => "发送位置", "Send a location";
    SimLink => "分享链接", "Share a link";
    SimClick => "点击菜单", "Click a menu button";
    SimSubscribe => "关注（可带场景值）", "Subscribe (optional scene)";
    SimUnsubscribe => "取消关注", "Unsubscribe";
    SimScan => "扫描带参数二维码", "Scan a parameter QR code";
    SimEnterAgent => "进入应用", "Enter the app";
    SimVerifyUrl => "验证回调地址", "Verify the callback URL";
    SimPushTicket => "推送 suite_ticket", "Push a suite_ticket";
    SimTextPlaceholder => "想说的话", "What to say";
    SimClickPlaceholder => "菜单 key，例如 MENU_HELLO", "Menu key, e.g. MENU_HELLO";
    SimScenePlaceholder => "场景值（可选）", "Scene (optional)";
    SimLinkPlaceholder => "链接地址", "Link URL";
    SimLocationPlaceholder => "位置名称", "Place name";
    SimSend => "发送", "Send";
    SimSending => "发送中…", "Sending…";
    SimNoReply => "（服务器未回复消息）", "(the server sent no reply)";
    SimNoAnswer => "（没有收到可用的回复）", "(no usable answer)";
    SimRawDelivery => "原始投递详情", "Raw delivery details";
    SimReplyError => "回复错误", "Reply error";
    SimPushed => "推送的消息（解密后）", "Message pushed (plaintext)";
    SimReply => "回复（解密后）", "Reply (plaintext)";
    SimAttempts => "请求记录", "Attempts";
    // ---- reply rules ----
    RulesSubtitle => "关键词、关注、菜单与扫码触发的自动回复，按优先级匹配", "Replies triggered by keywords, subscriptions, menu clicks and scans, matched by priority";
    RulesSearch => "搜索规则名称或触发词", "Search rule names or triggers";
    RulesEmptyTitle => "还没有规则", "No rules yet";
    RulesEmptyBody => "新建一条规则，粉丝发消息时即可自动回复。", "Create a rule and followers get an answer automatically.";
    RuleNew => "新建规则", "New rule";
    RuleEditTitle => "编辑规则", "Edit rule";
    RuleName => "规则名称", "Rule name";
    RuleTriggers => "触发条件", "Triggers";
    RuleTriggersHelp => "满足任意一个触发条件即命中。", "The rule fires when any trigger matches.";
    RuleReplies => "回复内容", "Replies";
    RuleRepliesHelp => "第一条在 5 秒内被动回复，其余通过客服消息接口（企业微信：应用消息）异步发送。", "The first is the passive reply (within 5 s); the rest go asynchronously through the customer-service API (WeCom: message/send).";
    RulePriority => "优先级", "Priority";
    RulePriorityHelp => "数字越大越先匹配", "Higher numbers are matched first";
    RulePriorityFormat => "请输入整数", "Enter a whole number";
    RuleHits => "命中次数", "Hits";
    RuleEnabled => "启用", "Enabled";
    RuleGlobal => "全局规则", "Global rule";
    RuleGlobalHelp => "对所有账号生效（全局规则）", "Applies to every account (global rule)";
    RuleConditions => "生效条件", "Conditions";
    RuleConditionsHelp => "不选表示每天；时间为北京时间，可跨午夜（如 22:00–06:00）。", "None selected means every day; times are China Standard Time and may wrap midnight (22:00–06:00).";
    RuleTimeFrom => "开始时间", "From";
    RuleTimeTo => "结束时间", "Until";
    RuleWeekdays => "星期", "Weekdays";
    RuleTag => "粉丝标签 ID", "Follower tag id";
    RuleAddTrigger => "添加触发条件", "Add trigger";
    RuleAddReply => "添加回复", "Add reply";
    RuleSaved => "规则「{name}」已保存", "Rule “{name}” saved";
    RuleDeleted => "规则「{name}」已删除", "Rule “{name}” deleted";
    RuleDeleteTitle => "删除规则", "Delete rule";
    RuleDeleteBody => "确定删除规则「{name}」吗？命中统计会一并删除。", "Delete rule “{name}”? Its hit count goes with it.";
    RuleRegexInvalid => "正则表达式无效", "Invalid regular expression";
    RuleTimeFormat => "请使用 HH:MM 格式（00:00–23:59）", "Use HH:MM (00:00–23:59)";
    RuleTriggerInvalid => "触发条件不完整或不正确", "This trigger is incomplete or invalid";
    RuleNewsCount => "图文需要 1–8 篇文章", "News needs 1–8 articles";
    RuleNeedTrigger => "至少需要一个触发条件", "Add at least one trigger";
    RuleNeedReply => "至少需要一条回复（或选择“不回复”）", "Add at least one reply (or “no reply”)";
    RuleSimulator => "模拟粉丝消息", "Type as a follower";
    RuleSimulatorHint => "看哪条规则会命中、其他规则为什么没有命中，以及将要发送的回复 XML。不会计入命中次数。", "See which rule fires, why the others do not, and the exact reply XML. Hit counts are not touched.";
    RuleSimulate => "模拟", "Simulate";
    RuleFires => "命中规则：", "Fires:";
    RuleNoneFires => "没有规则命中，将回复 success", "No rule fires: the answer is success";
    RuleReplyXml => "回复 XML", "Reply XML";
    TrigKeyword => "关键词", "Keyword";
    TrigSubscribe => "关注", "Subscribe";
    TrigMsgType => "消息类型", "Message type";
    TrigMenuClick => "菜单点击", "Menu click";
    TrigQrScan => "扫描二维码", "QR scan";
    TrigDefault => "默认回复", "Default";
    TrigDefaultHelp => "其他规则都没有命中时回复（仅消息，不含事件）", "Answers any message (not events) when no other rule fires";
    KwExact => "完全匹配", "Exact";
    KwContains => "包含", "Contains";
    KwRegex => "正则", "Regex";
    KwPlaceholder => "关键词或正则表达式", "Keyword or regular expression";
    SceneOptional => "场景值（可选，不填表示任意）", "Scene (optional: any when empty)";
    ReplyText => "文字", "Text";
    ReplyImage => "图片", "Image";
    ReplyImageById => "图片（media_id）", "Image (media id)";
    ReplyVoice => "语音", "Voice";
    ReplyVideo => "视频", "Video";
    ReplyMusic => "音乐", "Music";
    ReplyNews => "图文", "News";
    ReplyTransfer => "转人工客服", "Transfer to customer service";
    ReplyNone => "不回复", "No reply";
    ReplyNoneHelp => "回复 success，不发送任何内容", "Answer success and say nothing";
    ReplyPassive => "被动回复", "Passive";
    ReplyAsync => "异步发送", "Async";
    ReplyTextPlaceholder => "回复的文字", "The text to send";
    ReplyPlaceholders => "可用占位符：{openid}、{remark}（粉丝备注）", "Placeholders: {openid}, {remark} (the follower's remark)";
    MediaId => "media_id", "Media id";
    ThumbMediaId => "缩略图 media_id", "Thumbnail media id";
    Title => "标题", "Title";
    Description => "描述", "Description";
    MusicUrl => "音乐链接", "Music URL";
    HqMusicUrl => "高品质音乐链接", "HQ music URL";
    KfAccount => "指定客服账号（可选）", "Customer-service account (optional)";
    PicUrl => "图片链接", "Picture URL";
    AddArticle => "添加文章", "Add article";
    Mon => "一", "Mon";
    Tue => "二", "Tue";
    Wed => "三", "Wed";
    Thu => "四", "Thu";
    Fri => "五", "Fri";
    Sat => "六", "Sat";
    Sun => "日", "Sun";
    SimVoice => "发送语音", "Send a voice message";
    // ---- messages ----
    MessagesSubtitle => "收到和发出的全部消息，可按粉丝/成员、类型、方向和日期筛选", "Every message in and out, by follower/member, type, direction and date";
    MessageLog => "消息记录", "Message log";
    MessagesSearch => "搜索文字内容", "Search text content";
    MessagesEmpty => "没有消息", "No messages";
    MessagesEmptyBody => "粉丝发来的消息和发出的回复会显示在这里。", "Messages from followers and the replies sent appear here.";
    Conversations => "会话", "Conversations";
    ConversationsSearch => "搜索 openid / userid", "Search openid / userid";
    ConversationsEmpty => "还没有会话", "No conversations yet";
    ConversationsEmptyBody => "有人发消息后，这里会出现会话。", "A conversation appears once someone writes.";
    ConversationTruncated => "只显示最近 200 条消息", "Only the last 200 messages are shown";
    Direction => "方向", "Direction";
    DirectionIn => "收到", "In";
    DirectionOut => "发出", "Out";
    MsgType => "类型", "Type";
    UserFilter => "粉丝/成员", "Follower/member";
    DateFrom => "从", "From";
    DateTo => "到", "To";
    Time => "时间", "Time";
    Content => "内容", "Content";
    DecryptedXml => "解密后的 XML", "Decrypted XML";
    SentBody => "发送的内容", "Body sent";
    PassiveReplyXml => "被动回复 XML", "Passive reply XML";
    RepliesSent => "发出的回复", "Replies sent";
    Attempts => "发送尝试 {n} 次", "{n} delivery attempts";
    WindowOpenUntil => "可在 {time} 前通过客服消息回复（48 小时窗口）", "You can reply through the customer-service API until {time} (48-hour window)";
    WindowAlwaysOpen => "企业微信成员可随时通过应用消息回复", "WeCom members can be answered at any time through app messages";
    WindowClosed => "已超过 48 小时，无法再通过客服消息回复", "More than 48 hours ago: the customer-service API no longer reaches this follower";
    ReplyPlaceholder => "回复内容", "Your reply";
    ReplyVia => "通过客服消息接口（企业微信：应用消息）发送", "Sent through the customer-service API (WeCom: message/send)";
    SendReply => "发送回复", "Send reply";
    ReplySent => "回复已发送", "Reply sent";
    UrlFormat => "链接需以 http:// 或 https:// 开头", "The link must start with http:// or https://";
    // ---- inspector ----
    InspectorSubtitle => "微信每次推送的验签、解密、去重、耗时和回复，可一键重放", "Every WeChat push: verification, decryption, de-duplication, time taken and reply; replay with one click";
    InspectorEmpty => "还没有回调", "No deliveries yet";
    InspectorEmptyBody => "微信（或沙箱）调用回调地址后，这里会显示每一次投递。", "Each call WeChat (or the sandbox) makes to the callback URL shows up here.";
    Outcome => "结果", "Outcome";
    OutcomeAccepted => "已接收", "Accepted";
    OutcomeDuplicate => "重复", "Duplicate";
    OutcomeRejected => "已拒绝", "Rejected";
    OutcomeVerified => "URL 验证", "URL verified";
    Reply => "回复", "Reply";
    Duration => "耗时", "Time taken";
    DurationOfBudget => "{ms} ms / 微信 5 秒超时", "{ms} ms of WeChat's 5 s timeout";
    DurationVsBudget => "处理耗时（相对 5 秒超时）", "Processing time (against the 5 s timeout)";
    WithinBudget => "{n} 次在超时之内", "{n} within the timeout";
    Diagnosis => "诊断", "Diagnosis";
    DedupHit => "重复推送（去重命中）", "Retry (de-duplication hit)";
    NotDecrypted => "未能解密", "Not decrypted";
    ReceivedBody => "收到的原始内容", "Body received";
    Replay => "重放", "Replay";
    ReplayHelp => "按原样重新走一遍处理流程（标记为重放，不重复计数）", "Runs it through the pipeline again (marked as a replay, never counted twice)";
    Replayed => "已重放，新记录 #{id}", "Replayed as delivery #{id}";
    // ---- pay ----
    NavPay => "支付", "Payments";
    PayTitle => "微信支付", "WeChat Pay";
    PaySubtitle => "商品、订单、退款、对账与收入概览", "Products, orders, refunds, reconciliation and revenue";
    PayNoMerchantsTitle => "还没有支付商户", "No pay merchants yet";
    PayNoMerchantsBody => "先在账号管理中添加一个微信支付商户。", "Add a WeChat Pay merchant under Accounts first.";
    PayAccountSettings => "商户账号设置", "Merchant account settings";
    PayNoCertNote => "该商户未上传 API 证书（apiclient_cert.p12），退款前请先在账号设置中上传。", "This merchant has no API certificate (apiclient_cert.p12): upload it in the account settings before refunding.";
    PayTabDashboard => "概览", "Dashboard";
    PayTabOrders => "订单", "Orders";
    PayTabProducts => "商品", "Products";
    PayTabBills => "对账", "Bills";
    PayRefused => "操作被拒绝", "Refused";
    PayStateNotPay => "未支付", "Not paid";
    PayStateUserPaying => "支付中", "Paying";
    PayStateSuccess => "已支付", "Paid";
    PayStateRefund => "已退款", "Refunded";
    PayStateClosed => "已关闭", "Closed";
    PayStateRevoked => "已撤销", "Revoked";
    PayStatePayError => "支付失败", "Payment failed";
    PayLastDays => "近 {n} 天", "Last {n} days";
    PayRevenue => "收入", "Revenue";
    PayNetRevenue => "扣除退款后 {v}", "{v} after refunds";
    PayPaidOrders => "已支付订单", "Paid orders";
    PayOrdersCreated => "共创建 {n} 笔订单", "{n} orders created";
    PayRefunded => "退款", "Refunded";
    PayRevenueByDay => "每日收入", "Revenue per day";
    PayByState => "按状态", "By state";
    PayByProduct => "按商品", "By product";
    PayColState => "状态", "State";
    PayColCount => "笔数", "Count";
    PayColAmount => "金额", "Amount";
    PayColProduct => "商品", "Product";
    PayColOrder => "订单", "Order";
    PayColPayer => "付款人", "Payer";
    PayOrderSearch => "商户订单号或微信支付单号", "Order number or WeChat transaction id";
    PayFrom => "从", "From";
    PayTo => "到", "To";
    PayDaysHint => "按北京时间的自然日筛选，与仪表盘和微信对账单一致", "Days are Beijing days (UTC+8), like the dashboard and WeChat's bills";
    PayMinYuan => "最低金额（元）", "Min amount (yuan)";
    PayMaxYuan => "最高金额（元）", "Max amount (yuan)";
    PayPayerOpenid => "付款人 OpenID", "Payer openid";
    PayAmountInvalid => "金额须为最多两位小数的元金额，例如 18.50", "Amounts are yuan with at most two decimals, e.g. 18.50";
    PayNoOrdersTitle => "没有符合条件的订单", "No matching orders";
    PayNoOrdersBody => "付款人扫码下单后，订单会显示在这里。", "Orders appear here once payers scan a code.";
    PayTotalsOrders => "订单数", "Orders";
    PayTotalsAmount => "订单金额", "Ordered";
    PayTotalsPaid => "已收款", "Paid";
    PayTotalsRefunded => "已退款", "Refunded";
    PayActionDone => "已完成", "Done";
    PayRefundRange => "退款金额须在 0.01 到 {max} 元之间", "The refund must be between 0.01 and {max} yuan";
    PayRefundLeft => "最多可退 {max} 元", "Up to {max} yuan can be refunded";
    PayRefundRequested => "退款已提交，等待微信通知结果", "Refund requested; WeChat will notify the result";
    PayQuery => "查询订单", "Query WeChat";
    PayClose => "关闭订单", "Close order";
    PayPublicPage => "付款页", "Payer page";
    PayOrderInfo => "订单详情", "Order details";
    PayTradeType => "交易类型", "Trade type";
    PayTransactionId => "微信支付单号", "Transaction id";
    PayExpires => "失效时间", "Expires";
    PayPaidAt => "支付时间", "Paid at";
    PayHistory => "状态变更记录", "State history";
    PayNoHistory => "订单尚未变更过状态", "The order has not changed state yet";
    PayRefunds => "退款", "Refunds";
    PayRefundNo => "商户退款单号", "Refund number";
    PayRefundQuery => "查询退款", "Query refund";
    PayRefundAmount => "退款金额（元）", "Refund amount (yuan)";
    PayRefundReason => "退款原因", "Reason";
    PayRefund => "申请退款", "Refund";
    PayRefunding => "提交中…", "Requesting…";
    PayNoRefunds => "暂无退款", "No refunds";
    PayNotifications => "收到的通知（原文）", "Notifications received (raw)";
    PayNoNotifications => "尚未收到微信的通知", "No notification from WeChat yet";
    PayCauseNotify => "支付通知", "Notification";
    PayCauseQuery => "查询", "Query";
    PayCauseStaff => "员工操作", "Staff";
    PayCauseExpiry => "超时关闭", "Expired";
    PayCauseRefundNotify => "退款通知", "Refund notification";
    PayNewProduct => "新建商品", "New product";
    PayEditProduct => "编辑商品", "Edit product";
    PayProductName => "商品名称", "Name";
    PayProductPrice => "价格（元）", "Price (yuan)";
    PayProductDescription => "描述", "Description";
    PayProductSaved => "商品已保存", "Product saved";
    PayNoProductsTitle => "还没有商品", "No products yet";
    PayNoProductsBody => "新建商品后，它的付款页会显示扫码支付二维码。", "Once created, a product's payer page shows its QR codes.";
    PayActive => "在售", "On sale";
    PayInactive => "已下架", "Off sale";
    PayActivate => "上架", "Put on sale";
    PayDeactivate => "下架", "Take off sale";
    PayReconcile => "下载对账单并对账", "Download a bill and reconcile";
    PayReconcileHint => "从微信下载某一天（北京时间）的对账单，与本系统的订单和退款逐笔核对。每天上午也会自动核对前一天的账单。", "Downloads a day's bill (Beijing time) from WeChat and checks it against this portal's orders and refunds, line by line. Yesterday's bill is also checked automatically every morning.";
    PayBillDate => "账单日期", "Bill date";
    PayBillDateInvalid => "请选择一个日期", "Choose a date";
    PayBillType => "账单类型", "Bill type";
    PayBillAll => "全部", "All";
    PayBillSuccess => "成功支付", "Payments";
    PayBillRefund => "退款", "Refunds";
    PayReconcileRun => "开始对账", "Reconcile";
    PayReconciling => "下载并核对中…", "Downloading and checking…";
    PayReports => "对账记录", "Reports";
    PayNoReportsTitle => "还没有对账记录", "No reports yet";
    PayNoReportsBody => "选择日期开始对账，或等待每日自动对账。", "Reconcile a day, or wait for the daily run.";
    PayMismatches => "差异", "Mismatches";
    PayMismatch => "差异类型", "Difference";
    PayMatched => "一致", "Matched";
    PayBillRows => "账单笔数", "Bill rows";
    PayBillVsLocal => "账单 / 本系统收款", "Bill / portal payments";
    PayAllMatched => "全部一致，没有差异。", "Everything matches.";
    PayExportCsv => "导出 CSV", "Export CSV";
    PayLocal => "本系统", "Portal";
    PayWechatBill => "微信账单", "WeChat bill";
    PayMissingHere => "本系统缺失", "Missing here";
    PayMissingThere => "微信账单缺失", "Missing at WeChat";
    PayAmountDiffers => "金额不一致", "Amount differs";
    PayStateDiffers => "状态不一致", "State differs";
    SimPayHint => "扮演付款人：扫描商品的模式一二维码或粘贴模式二的 code_url，并完成付款；沙箱会像微信一样回调本系统。", "Act as a payer: scan a product's mode-1 code or paste a mode-2 code_url and pay; the sandbox calls this portal the way WeChat does.";
    SimPayer => "付款人", "Payer";
    SimNewPayer => "新的付款人", "A new payer";
    SimPayProduct => "扫描商品二维码（模式一）", "Scan a product's code (mode 1)";
    SimPayCode => "扫描 code_url（模式二）", "Scan a code_url (mode 2)";
    SimPayCodeLabel => "二维码内容", "QR code content";
    SimPayCodeRequired => "请粘贴二维码内容（weixin://wxpay/…）", "Paste the QR code content (weixin://wxpay/…)";
    SimScanAndPay => "扫码并付款", "Scan and pay";
    SimPaying => "付款中…", "Paying…";
    SimPaid => "付款成功", "Paid";
    SimPayFailed => "付款人看到错误", "The payer saw an error";
    SimScanCallback => "扫码回调详情", "Scan callback details";

    // ---- followers, tags, groups ----
    TabFollowers => "粉丝", "Followers";
    TabTags => "标签与分组", "Tags & groups";
    FollowersTitle => "粉丝管理", "Followers";
    FollowersSubtitle => "与微信同步的粉丝资料、标签与分组", "Followers, tags and groups kept in step with WeChat";
    SyncTitle => "全量同步", "Full sync";
    SyncStart => "从微信同步", "Sync from WeChat";
    SyncResume => "从断点继续同步", "Resume the sync";
    SyncRunning => "同步中…", "Syncing…";
    SyncNever => "尚未同步。首次同步会拉取全部粉丝、标签和分组。", "Not synced yet. The first sync fetches every follower, tag and group.";
    SyncFailed => "同步中断", "Sync stopped";
    SyncFailedHint => "再次同步会从断点继续。", "Syncing again continues from the checkpoint.";
    SyncRate => "{rate} 人/秒", "{rate}/s";
    SyncCalls => "接口调用 {calls} 次，重试 {retries} 次", "{calls} API calls, {retries} retries";
    SyncStartedBy => "{who} 发起于 {at}", "Started by {who} at {at}";
    SyncStored => "本地已关注粉丝 {n} 人", "{n} subscribed followers stored";
    SyncResumedFrom => "从第 {n} 位继续", "Resumed at {n}";
    SyncStarted => "同步已开始", "Sync started";
    SyncPhaseTags => "同步标签", "Syncing tags";
    SyncPhaseGroups => "同步分组", "Syncing groups";
    SyncPhaseFollowers => "同步粉丝", "Syncing followers";
    SyncPhaseFinishing => "收尾", "Finishing";
    FollowersSearchPlaceholder => "搜索昵称、备注或 OpenID", "Search nickname, remark or OpenID";
    FilterTag => "标签", "Tag";
    FilterGroup => "分组", "Group";
    FilterStatus => "关注状态", "Status";
    StatusSubscribed => "已关注", "Subscribed";
    StatusUnsubscribed => "已取消关注", "Unsubscribed";
    FilterScene => "关注渠道", "Scene";
    FilterFrom => "关注起始日", "Subscribed from";
    FilterTo => "关注截止日", "Subscribed until";
    ColFollower => "粉丝", "Follower";
    ColTags => "标签", "Tags";
    ColGroup => "分组", "Group";
    ColSubscribedAt => "关注时间", "Subscribed at";
    ColScene => "渠道", "Scene";
    SceneSearch => "搜索公众号", "Search";
    SceneQrCode => "扫描二维码", "QR code";
    SceneOthers => "其他", "Other";
    SceneMigration => "公众号迁移", "Account migration";
    SceneProfileCard => "名片分享", "Profile card";
    SceneProfileLink => "图文页内名称", "Article name link";
    SceneProfileItem => "图文页右上角菜单", "Article menu";
    ScenePaid => "支付后关注", "After payment";
    SceneAd => "微信广告", "WeChat ads";
    SceneReprint => "他人转载", "Reprint";
    SceneLive => "视频号直播", "Channels live";
    SceneChannels => "视频号", "Channels";
    FollowersEmptyTitle => "还没有粉丝数据", "No followers yet";
    FollowersEmptyBody => "从微信同步一次，之后关注和取消关注会自动更新。", "Sync from WeChat once; subscribes and unsubscribes keep it current afterwards.";
    FollowersNoMatchTitle => "没有符合条件的粉丝", "No followers match";
    FollowersNoMatchBody => "换个关键词或清除筛选条件。", "Try other words or clear the filters.";
    NoRemark => "未备注", "No remark";
    NoTags => "无标签", "No tags";
    SelectedCount => "已选 {n} 人", "{n} selected";
    SelectAllMatching => "选择全部 {n} 个符合条件的粉丝", "Select all {n} matching followers";
    AllMatchingSelected => "已选择全部 {n} 个符合条件的粉丝", "All {n} matching followers selected";
    SelectPage => "选择本页", "Select this page";
    SelectRow => "选择", "Select";
    ClearSelection => "取消选择", "Clear selection";
    BulkChooseTag => "选择标签…", "Choose a tag…";
    BulkChooseGroup => "选择分组…", "Choose a group…";
    BulkAddTag => "打标签", "Add tag";
    BulkRemoveTag => "移除标签", "Remove tag";
    BulkMoveGroup => "移入分组", "Move to group";
    BulkWorking => "处理中…", "Working…";
    BulkDone => "已处理 {n} 位粉丝（{calls} 次接口调用）", "{n} followers updated ({calls} API calls)";
    BulkStarted => "批量任务已开始，可离开本页，任务会继续执行。", "The bulk job has started; it keeps running if you leave this page.";
    BulkFailed => "批量任务失败：{error}", "The bulk job failed: {error}";
    BulkJobTag => "打标签“{name}”", "Add tag “{name}”";
    BulkJobUntag => "移除标签“{name}”", "Remove tag “{name}”";
    BulkJobMove => "移入分组“{name}”", "Move to group “{name}”";
    BulkJobRunning => "执行中…", "Running…";
    BulkJobDone => "已完成", "Finished";
    BulkJobFailed => "已中断", "Stopped";
    BulkJobStartedBy => "{who} 于 {at} 发起", "Started by {who} at {at}";
    BulkJobProgress => "已处理 {done} / {total} 位粉丝", "{done} / {total} followers processed";
    BulkJobCalls => "接口调用 {calls} 次", "{calls} API calls";
    BulkJobFailedHint => "已完成的批次已保存；重新执行即可补完其余粉丝（已处理的不会重复）。", "Finished batches are saved; run it again to finish the rest (followers already done are not affected twice).";
    FollowerTitle => "粉丝详情", "Follower";
    FieldOpenid => "OpenID", "OpenID";
    FieldUnionid => "UnionID", "UnionID";
    FieldLanguage => "语言", "Language";
    FieldRemark => "备注", "Remark";
    FieldQrScene => "二维码场景", "QR scene";
    FieldSyncedAt => "最近同步", "Last synced";
    FieldNickname => "昵称", "Nickname";
    NotSynced => "未同步", "Not synced";
    RemarkHelp => "最多 30 个字，保存后同步到微信", "Up to 30 characters; saved to WeChat";
    RemarkTooLong => "备注不能超过 30 个字", "A remark has at most 30 characters";
    RemarkSaved => "备注已保存并同步到微信", "Remark saved to WeChat";
    MessageHistory => "消息记录", "Messages";
    MessageHistoryEmpty => "还没有与该粉丝的消息", "No messages with this follower yet";
    MessageIn => "粉丝发来", "From the follower";
    MessageOut => "发给粉丝", "To the follower";
    MessageHistoryMore => "仅显示最近 {n} 条，共 {total} 条", "Showing the latest {n} of {total}";
    TagsTitle => "标签与分组", "Tags & groups";
    TagsSubtitle => "用户标签与旧版分组，修改会推送到微信", "User tags and legacy groups; changes are pushed to WeChat";
    TagsHeading => "用户标签", "User tags";
    GroupsHeading => "旧版分组", "Legacy groups";
    TagNew => "新建标签", "New tag";
    GroupNew => "新建分组", "New group";
    TagName => "名称", "Name";
    TagNameHelp => "最多 30 字节（约 10 个汉字）", "Up to 30 bytes (about 10 Chinese characters)";
    TagNameRequired => "请输入名称", "Enter a name";
    TagNameTooLong => "名称不能超过 30 字节", "A name has at most 30 bytes";
    ColMembers => "成员（本地 / 微信）", "Members (here / WeChat)";
    TagCreated => "已在微信创建", "Created in WeChat";
    TagRenamed => "已在微信重命名", "Renamed in WeChat";
    TagDeleted => "已在微信删除", "Deleted in WeChat";
    TagDeleteTitle => "删除“{name}”？", "Delete “{name}”?";
    TagDeleteBody => "会同时在微信删除，并从所有粉丝身上移除该标签。", "It is deleted in WeChat too and removed from every follower.";
    GroupDeleteBody => "会同时在微信删除，其成员回到默认分组。", "It is deleted in WeChat too; its members go back to the default group.";
    Rename => "重命名", "Rename";
    TagsEmpty => "还没有标签。同步后会显示微信里的标签。", "No tags yet. A sync brings in WeChat's tags.";
    GroupsEmpty => "没有分组（账号可能不支持旧版分组接口）", "No groups (the account may not support the legacy groups API)";
    ViewMembers => "查看成员", "View members";
    TagChartTitle => "标签人数", "Followers per tag";
    DriftTitle => "与微信的差异", "Differences with WeChat";
    DriftHint => "有人在微信后台直接修改时，两边会不一致。逐项选择以哪边为准。", "When someone edits in WeChat's own console the two sides differ. Choose which side wins, item by item.";
    DriftCheck => "对比微信", "Compare with WeChat";
    DriftChecking => "对比中…", "Comparing…";
    DriftNone => "两边一致", "Both sides match";
    DriftKindTag => "标签", "Tag";
    DriftKindGroup => "分组", "Group";
    DriftKindMember => "粉丝标签", "Follower's tag";
    DriftKindRemark => "备注", "Remark";
    DriftColItem => "对象", "Item";
    DriftOurs => "本系统", "Portal";
    DriftTheirs => "微信", "WeChat";
    DriftAbsent => "（无）", "(none)";
    DriftKeepOurs => "以本系统为准", "Keep ours";
    DriftAcceptTheirs => "以微信为准", "Accept WeChat's";
    DriftResolved => "已处理", "Resolved";
    DriftCheckedAt => "对比于 {at}，检查了 {n} 条备注", "Checked at {at}; {n} remarks compared";
}

/// Reactive access to the current language.
#[derive(Debug, Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

impl I18n {
    /// The text of `key` in the current language (tracked).
    pub fn t(self, key: K) -> &'static str {
        key.text(self.0.get())
    }

    /// The current language (tracked).
    pub fn lang(self) -> Lang {
        self.0.get()
    }

    /// The current language (untracked, for event handlers).
    pub fn lang_now(self) -> Lang {
        self.0.get_untracked()
    }

    /// Untracked lookup, for event handlers and toasts.
    pub fn now(self, key: K) -> &'static str {
        key.text(self.0.get_untracked())
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_key_has_both_languages() {
        for key in K::ALL {
            let (zh, en) = key.pair();
            assert!(!zh.trim().is_empty(), "{key:?} has no Chinese text");
            assert!(!en.trim().is_empty(), "{key:?} has no English text");
        }
    }

    #[test]
    fn chinese_texts_are_chinese() {
        // Keys whose text is a brand, an identifier or the name of the other language.
        let same_ok: HashSet<K> = [
            K::AppName,
            K::OtherLanguage,
            K::FieldAgentId,
            K::FieldSuiteId,
            K::FieldSuiteSecret,
            K::SignMd5,
            K::SignHmacSha256,
            K::FieldOpenid,
            K::FieldUnionid,
        ]
        .into_iter()
        .collect();
        for key in K::ALL {
            let (zh, en) = key.pair();
            if !same_ok.contains(key) {
                assert_ne!(zh, en, "{key:?} is not translated");
            }
        }
    }

    #[test]
    fn placeholders_match() {
        for key in K::ALL {
            let (zh, en) = key.pair();
            for name in ["{n}", "{name}", "{masked}"] {
                assert_eq!(
                    zh.contains(name),
                    en.contains(name),
                    "{key:?} placeholder {name}"
                );
            }
        }
    }

    #[test]
    fn fill_replaces_placeholders() {
        assert_eq!(fill("共 {n} 条", "n", "3"), "共 3 条");
    }

    #[test]
    fn language_switch_names_the_other_language() {
        assert_eq!(K::OtherLanguage.text(Lang::ZhCn), "English");
        assert_eq!(K::OtherLanguage.text(Lang::En), "中文");
    }
}
