"""客户数据库 the workbook's customer database: 鲜果园's customer information in one SQLite file.

苏朝晖 第 5 章 5.4 节（用数据库管理客户信息）and 第 2 章 2.2 节（数据库营销）: instead of scattered spreadsheets, one
database holds who the customers are (个人/企业客户信息), what they bought (交易), every contact with them
(联系记录) and every campaign and its responses (营销活动与响应), tied together by the customer id.

The database is an ordinary SQLite file (Python's built-in :mod:`sqlite3`, no server), built by
:func:`create_database` from the committed CSV files (``datasets/green_food``, ``datasets/b2b_accounts``,
``datasets/crm_db``). Nothing binary is committed: a notebook builds its own copy in a few tenths of a second,
e.g. in a temporary folder. The schema (:data:`SCHEMA_SQL`) is documented in the DDL itself: primary keys,
foreign keys (enforced: every connection runs ``PRAGMA foreign_keys = ON``), ``NOT NULL`` and ``CHECK``
constraints (a date must be a real calendar day written ``YYYY-MM-DD``: ``date(d, '+0 days') IS d``
rejects ``2024-02-30``), and triggers for rules that span tables (a transaction never before registration; a profile
matches the customer's segment). The schema version is ``PRAGMA user_version`` (:data:`SCHEMA_VERSION`),
and ``PRAGMA application_id`` marks the file as a crmlab database.

Typical use::

    path = create_database("work/鲜果园.db")           # refuses to overwrite unless overwrite=True
    conn = open_database(path)                          # read-only by default; checks the file first
    query(conn, "SELECT segment, COUNT(*) AS n FROM customers GROUP BY segment")
    mine = student_copy(path, "work/我的练习.db")         # a writable copy; the original is never touched

Every check raises :class:`~crmlab.errors.InputError` with a message in Chinese and English that names the
file: missing, not a SQLite file, corrupted (``PRAGMA quick_check``), another application's database, or a
different schema version.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from .crm_data import CRM_DATA_DEFAULT, CrmData, generate_crm_data, load_crm_data
from .datasets import B2B_COLUMNS, GreenFood, load_b2b_accounts, load_green_food
from .errors import InputError, require_int
from .fileio import staged_file

__all__ = [
    "APPLICATION_ID",
    "EXAMPLE_QUERIES",
    "SCHEMA_SQL",
    "SCHEMA_VERSION",
    "TABLES",
    "create_database",
    "insert_rows",
    "open_database",
    "query",
    "student_copy",
    "table_counts",
    "table_schema",
]

#: 数据库结构版本 the schema version stored in ``PRAGMA user_version``; files of another version are refused.
SCHEMA_VERSION = 1
#: ``PRAGMA application_id`` of a crmlab database: the bytes "CRML".
APPLICATION_ID = 0x43524D4C
_HEADER = b"SQLite format 3\x00"

#: 表名与中文名 the tables, in dependency order (a table only refers to tables before it).
TABLES: dict[str, str] = {
    "customers": "客户主表",
    "individual_profiles": "个人客户信息",
    "business_profiles": "企业客户信息",
    "transactions": "交易记录",
    "contacts": "联系记录",
    "campaigns": "营销活动",
    "campaign_responses": "活动响应",
    "b2b_accounts": "企业客户年度账户",
    "meta": "数据库说明",
}

#: 数据库结构 the DDL of the customer database (run by :func:`create_database`).
SCHEMA_SQL = f"""
-- 外键约束在 SQLite 里默认关闭，每个连接都要打开（open_database 会自动执行）
PRAGMA foreign_keys = ON;
-- 文件标记与结构版本：open_database 核对这两个数，不符就拒绝打开
PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = {SCHEMA_VERSION};

-- 客户主表：每位注册客户一行（个人客户与企业客户共用的信息）
CREATE TABLE customers (
    customer_id   TEXT PRIMARY KEY CHECK (customer_id GLOB 'C[0-9]*'),   -- 客户编号 C00001…
    segment       TEXT NOT NULL CHECK (segment IN ('个人客户', '企业客户')),
    registered    TEXT NOT NULL CHECK (date(registered, '+0 days') IS registered),  -- 注册日期 YYYY-MM-DD
    city          TEXT NOT NULL,
    channel       TEXT NOT NULL CHECK (channel IN ('App', '小程序', '门店')),  -- 注册渠道
    is_target     INTEGER NOT NULL CHECK (is_target IN (0, 1)),          -- 目标客户
    non_customer  INTEGER NOT NULL CHECK (non_customer IN (0, 1))        -- 非客户（拒绝或无法触达）
);

-- 个人客户信息（只有个人客户才有，一对一）
CREATE TABLE individual_profiles (
    customer_id        TEXT PRIMARY KEY REFERENCES customers (customer_id),
    name_masked        TEXT NOT NULL,                                     -- 脱敏姓名，如 王**
    gender             TEXT NOT NULL CHECK (gender IN ('女', '男')),
    age_band           TEXT NOT NULL CHECK (age_band IN ('18-24', '25-34', '35-44', '45-54', '55+')),
    birth_month        INTEGER NOT NULL CHECK (birth_month BETWEEN 1 AND 12),
    household_size     INTEGER NOT NULL CHECK (household_size BETWEEN 1 AND 10),
    preferred_category TEXT NOT NULL,                                     -- 偏好品类
    marketing_consent  INTEGER NOT NULL CHECK (marketing_consent IN (0, 1))  -- 是否同意接收营销信息
);

-- 企业客户信息（只有企业客户才有，一对一）
CREATE TABLE business_profiles (
    customer_id    TEXT PRIMARY KEY REFERENCES customers (customer_id),
    company        TEXT NOT NULL,
    industry       TEXT NOT NULL CHECK (industry IN ('餐饮', '零售', '酒店', '食堂', '烘焙')),
    size           TEXT NOT NULL CHECK (size IN ('小型', '中型', '大型')),
    employees      INTEGER NOT NULL CHECK (employees > 0),
    contact_role   TEXT NOT NULL,                                         -- 对接人的职务
    credit_rating  TEXT NOT NULL CHECK (credit_rating IN ('A', 'B', 'C'))
);

-- 交易记录：每笔购买一行
CREATE TABLE transactions (
    transaction_id  INTEGER PRIMARY KEY,
    customer_id     TEXT NOT NULL REFERENCES customers (customer_id),
    date            TEXT NOT NULL CHECK (date(date, '+0 days') IS date),             -- 交易日期 YYYY-MM-DD
    amount          REAL NOT NULL CHECK (typeof(amount) IN ('integer', 'real') AND amount > 0)  -- 元
);
CREATE INDEX transactions_by_customer ON transactions (customer_id, date);

-- 联系记录：客户与企业的每一次接触（收集客户信息的直接渠道）
CREATE TABLE contacts (
    contact_id   INTEGER PRIMARY KEY,
    customer_id  TEXT NOT NULL REFERENCES customers (customer_id),
    date         TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
    channel      TEXT NOT NULL CHECK (channel IN ('电话', '在线客服', '微信', '上门拜访')),
    direction    TEXT NOT NULL CHECK (direction IN ('呼入', '呼出')),     -- 客户打进来 / 企业打出去
    reason       TEXT NOT NULL CHECK (reason IN ('咨询', '投诉', '售后', '回访', '营销')),
    outcome      TEXT NOT NULL CHECK (outcome IN ('已解决', '未解决', '已完成', '未接通', '有意向', '无意向'))
);
CREATE INDEX contacts_by_customer ON contacts (customer_id, date);

-- 营销活动
CREATE TABLE campaigns (
    campaign_id       TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    start_date        TEXT NOT NULL CHECK (date(start_date, '+0 days') IS start_date),
    channel           TEXT NOT NULL CHECK (channel IN ('短信', 'App推送', '电话')),
    offer             TEXT NOT NULL,
    cost_per_contact  REAL NOT NULL CHECK (cost_per_contact >= 0)         -- 每次触达的成本（元）
);

-- 活动响应：每次活动里被联系到的每位客户一行
CREATE TABLE campaign_responses (
    campaign_id   TEXT NOT NULL REFERENCES campaigns (campaign_id),
    customer_id   TEXT NOT NULL REFERENCES customers (customer_id),
    responded     INTEGER NOT NULL CHECK (responded IN (0, 1)),
    order_amount  REAL NOT NULL CHECK (order_amount >= 0),                -- 活动带来的订单金额（元）
    PRIMARY KEY (campaign_id, customer_id),
    CHECK (responded = 1 OR order_amount = 0)                              -- 没有响应就没有订单
);

-- 企业客户年度账户（第 3、6 章的客户盈利性数据，编号 B0001…，与上面的客户编号无关）
CREATE TABLE b2b_accounts (
    account_id        TEXT PRIMARY KEY CHECK (account_id GLOB 'B[0-9]*'),
    industry          TEXT NOT NULL CHECK (industry IN ('餐饮', '零售', '酒店', '食堂', '烘焙')),
    size              TEXT NOT NULL CHECK (size IN ('小型', '中型', '大型')),
    city              TEXT NOT NULL,
    years             INTEGER NOT NULL CHECK (years >= 1),
    revenue           REAL NOT NULL CHECK (revenue >= 0),
    gross_margin      REAL NOT NULL,
    orders            INTEGER NOT NULL CHECK (orders >= 0),
    order_cost        REAL NOT NULL CHECK (order_cost >= 0),
    service_contacts  INTEGER NOT NULL CHECK (service_contacts >= 0),
    service_cost      REAL NOT NULL CHECK (service_cost >= 0),
    discount          REAL NOT NULL CHECK (discount >= 0),
    returns           REAL NOT NULL CHECK (returns >= 0),
    payment_days      INTEGER NOT NULL CHECK (payment_days >= 0),
    payment_cost      REAL NOT NULL CHECK (payment_cost >= 0)
);

-- 数据库说明（键值对）
CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- 跨表的规则：交易不早于注册；个人/企业信息与客户类型一致
CREATE TRIGGER transaction_after_registration BEFORE INSERT ON transactions
WHEN NEW.date < (SELECT registered FROM customers WHERE customer_id = NEW.customer_id)
BEGIN SELECT RAISE(ABORT, '交易日期早于注册日期 transaction before registration'); END;

CREATE TRIGGER individual_profile_segment BEFORE INSERT ON individual_profiles
WHEN (SELECT segment FROM customers WHERE customer_id = NEW.customer_id) IS NOT '个人客户'
BEGIN SELECT RAISE(ABORT, '个人客户信息只能属于个人客户 profile of a non-individual customer'); END;

CREATE TRIGGER business_profile_segment BEFORE INSERT ON business_profiles
WHEN (SELECT segment FROM customers WHERE customer_id = NEW.customer_id) IS NOT '企业客户'
BEGIN SELECT RAISE(ABORT, '企业客户信息只能属于企业客户 profile of a non-business customer'); END;

-- 客户全貌视图：一位客户一行，汇总主表、个人/企业信息、交易与联系
CREATE VIEW customer_360 AS
SELECT c.customer_id, c.segment, c.city, c.channel, c.registered,
       p.gender, p.age_band, p.preferred_category, p.marketing_consent,
       b.company, b.industry, b.size,
       COALESCE(t.purchases, 0) AS purchases, COALESCE(t.spend, 0) AS spend, t.last_purchase,
       COALESCE(k.contacts, 0) AS contacts, COALESCE(k.complaints, 0) AS complaints
FROM customers AS c
LEFT JOIN individual_profiles AS p USING (customer_id)
LEFT JOIN business_profiles AS b USING (customer_id)
LEFT JOIN (SELECT customer_id, COUNT(*) AS purchases, ROUND(SUM(amount), 2) AS spend, MAX(date) AS last_purchase
           FROM transactions GROUP BY customer_id) AS t USING (customer_id)
LEFT JOIN (SELECT customer_id, COUNT(*) AS contacts, SUM(reason = '投诉') AS complaints
           FROM contacts GROUP BY customer_id) AS k USING (customer_id);
""".strip()

#: 示例查询 the notebook's SQL queries, each a (说明, SQL) pair; tests check them against pandas.
EXAMPLE_QUERIES: dict[str, tuple[str, str]] = {
    "客户构成": ("每类客户的人数，以及其中有过购买的人数", """
SELECT c.segment, COUNT(*) AS customers,
       SUM(c.customer_id IN (SELECT customer_id FROM transactions)) AS buyers
FROM customers AS c
GROUP BY c.segment
ORDER BY customers DESC"""),
    "个人客户画像": ("个人客户按年龄段和性别的人数", """
SELECT age_band, gender, COUNT(*) AS customers
FROM individual_profiles
GROUP BY age_band, gender
ORDER BY age_band, gender"""),
    "企业客户按行业": ("企业客户按行业：家数与 2022—2024 年的消费总额（元）", """
SELECT b.industry, COUNT(DISTINCT b.customer_id) AS companies, ROUND(COALESCE(SUM(t.amount), 0), 2) AS spend
FROM business_profiles AS b
LEFT JOIN transactions AS t ON t.customer_id = b.customer_id
GROUP BY b.industry
ORDER BY spend DESC"""),
    "联系渠道与原因": ("联系记录按渠道和原因的条数", """
SELECT channel, reason, COUNT(*) AS contacts
FROM contacts
GROUP BY channel, reason
ORDER BY channel, contacts DESC"""),
    "投诉解决率": ("各渠道的投诉件数与解决率", """
SELECT channel, COUNT(*) AS complaints,
       ROUND(AVG(outcome = '已解决'), 4) AS solved_rate
FROM contacts
WHERE reason = '投诉'
GROUP BY channel
ORDER BY complaints DESC"""),
    "活动效果": ("每次营销活动：触达人数、响应人数、响应率、订单金额、成本与每元成本带来的订单额", """
SELECT k.campaign_id, k.name, k.channel,
       COUNT(*) AS contacted, SUM(r.responded) AS responders,
       ROUND(AVG(r.responded), 4) AS response_rate,
       ROUND(SUM(r.order_amount), 2) AS order_amount,
       ROUND(COUNT(*) * k.cost_per_contact, 2) AS cost,
       ROUND(SUM(r.order_amount) / (COUNT(*) * k.cost_per_contact), 1) AS amount_per_cost
FROM campaigns AS k
JOIN campaign_responses AS r USING (campaign_id)
GROUP BY k.campaign_id
ORDER BY k.start_date"""),
    "生日名单": ("某月过生日、同意接收营销信息的个人客户（参数 :month）", """
SELECT p.customer_id, p.name_masked, p.age_band, p.preferred_category, c.city
FROM individual_profiles AS p
JOIN customers AS c USING (customer_id)
WHERE p.birth_month = :month AND p.marketing_consent = 1
ORDER BY p.customer_id"""),
}


# --- building the file --------------------------------------------------------------------------------------

def _path(path: object, what: str = "数据库文件 database file") -> Path:
    if not isinstance(path, (str, os.PathLike)) or not str(path):
        raise InputError(f"{what} 的路径必须是字符串或 Path，收到 {path!r}")
    return Path(path).expanduser()


def _exists(target: Path) -> str:
    return f"文件已存在 file exists，不会覆盖 (pass overwrite=True to replace it)：{target}"


def _rows(frame: pd.DataFrame, columns: Iterable[str]) -> list[tuple]:
    out = frame[list(columns)].copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            out[col] = s.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(s.dtype):
            out[col] = s.astype(int)
    return [tuple(v.item() if hasattr(v, "item") else v for v in row) for row in out.itertuples(index=False)]


def _insert(conn: sqlite3.Connection, table: str, frame: pd.DataFrame, columns: Mapping[str, str]) -> None:
    """Insert ``frame``'s columns (keys of ``columns``) into ``table``'s columns (values)."""
    cols = ", ".join(columns.values())
    marks = ", ".join("?" for _ in columns)
    conn.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", _rows(frame, columns.keys()))


def _populate(conn: sqlite3.Connection, green: GreenFood, crm: CrmData, b2b: pd.DataFrame, seed: int) -> None:
    same = {c: c for c in ("customer_id", "segment", "registered", "city", "channel", "non_customer")}
    _insert(conn, "customers", green.customers, {**same, "target": "is_target"})
    for name in ("individual_profiles", "business_profiles", "contacts", "campaigns", "campaign_responses"):
        frame = crm.tables()[name]
        _insert(conn, name, frame, {c: c for c in frame.columns})
    tx = green.transactions.reset_index(drop=True)
    tx = tx.assign(transaction_id=range(1, len(tx) + 1))
    _insert(conn, "transactions", tx, {c: c for c in ("transaction_id", "customer_id", "date", "amount")})
    _insert(conn, "b2b_accounts", b2b, {c: c for c in B2B_COLUMNS})
    meta = {"schema_version": str(SCHEMA_VERSION), "data": "鲜果园 (模拟数据 simulated data)",
            "sources": "datasets/green_food, datasets/crm_db, datasets/b2b_accounts", "crm_data_seed": str(seed)}
    conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", list(meta.items()))


def create_database(path: str | os.PathLike[str], *, overwrite: bool = False,
                    seed: int = CRM_DATA_DEFAULT["seed"]) -> Path:
    """建立客户数据库 build the 鲜果园 customer database at ``path`` (a new SQLite file) and return its path.

    Tables and constraints: :data:`SCHEMA_SQL`. Data: the committed green-food customers and transactions,
    the B2B accounts, and the profiles/contacts/campaigns/responses of ``datasets/crm_db`` — or, for another
    ``seed``, those of :func:`crmlab.crm_data.generate_crm_data` with that seed. The file is written to a
    temporary file in the same folder and moved into place only when complete. An existing file is an
    :class:`InputError` unless ``overwrite=True``.
    """
    target = _path(path)
    s = require_int(seed, "随机种子", "seed", minimum=0)
    if target.is_dir():
        raise InputError(f"数据库文件 database file 的路径是一个文件夹 (is a directory)：{target}")
    green = load_green_food()
    crm = load_crm_data(green) if s == CRM_DATA_DEFAULT["seed"] else generate_crm_data(green, seed=s)
    b2b = load_b2b_accounts()
    with staged_file(target, overwrite=overwrite) as tmp:
        conn = sqlite3.connect(tmp)
        try:
            conn.executescript(SCHEMA_SQL)
            with conn:
                _populate(conn, green, crm, b2b, s)
            problems = conn.execute("PRAGMA foreign_key_check").fetchall()
            if problems:  # pragma: no cover - the loaders already check the references
                raise InputError(f"外键检查失败 foreign key check failed: {problems[:3]}")
        finally:
            conn.close()
    return target


# --- opening and copying ---------------------------------------------------------------------------------------

def _check_file(target: Path) -> None:
    if not target.exists():
        raise InputError(f"数据库文件不存在 database file not found：{target}"
                         f"（先用 create_database 建立 / create it with create_database first）")
    if not target.is_file():
        raise InputError(f"数据库路径不是文件 database path is not a file：{target}")
    with open(target, "rb") as fh:
        header = fh.read(len(_HEADER))
    if header != _HEADER:
        raise InputError(f"不是 SQLite 数据库文件 not an SQLite database file（文件头不对 wrong header）：{target}")


def open_database(path: str | os.PathLike[str], *, readonly: bool = True) -> sqlite3.Connection:
    """打开客户数据库 open a database made by :func:`create_database` and return the connection.

    Read-only by default (``readonly=False`` for a student's own copy); foreign keys are enforced. Before
    returning it checks the file and raises :class:`InputError` naming ``path`` when the file is missing, is
    not an SQLite file, is corrupted (``PRAGMA quick_check``), is not a crmlab database, or has a schema
    version other than :data:`SCHEMA_VERSION`. Close it with ``conn.close()`` (or ``contextlib.closing``).
    """
    target = _path(path)
    _check_file(target)
    mode = "ro" if readonly else "rw"
    conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode={mode}", uri=True)
    try:
        try:
            check = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
        except sqlite3.DatabaseError as exc:
            raise InputError(f"数据库文件已损坏 database file is corrupted（{exc}）：{target}") from None
        if check != ["ok"]:
            raise InputError(f"数据库文件已损坏 database file is corrupted（quick_check: {check[0]}）：{target}")
        app = conn.execute("PRAGMA application_id").fetchone()[0]
        if app != APPLICATION_ID:
            raise InputError(f"不是 crmlab 客户数据库 not a crmlab customer database (application_id {app})：{target}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            raise InputError(f"数据库结构版本 schema version 应为 {SCHEMA_VERSION}，收到 {version}：{target}"
                             f"（请用 create_database(..., overwrite=True) 重新建立 / rebuild it）")
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return conn


def student_copy(src: str | os.PathLike[str], dst: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """学生副本 copy the database ``src`` to ``dst`` for a student to change freely; returns ``dst``.

    ``src`` is opened read-only and checked like :func:`open_database`; it is never modified. The copy uses
    SQLite's online backup, is written to a temporary file next to ``dst`` and moved into place when complete;
    an existing ``dst`` is an :class:`InputError` unless ``overwrite=True``. Open the copy with
    ``open_database(dst, readonly=False)``.
    """
    source_path, target = _path(src), _path(dst, "副本文件 copy")
    if target.exists() and source_path.exists() and os.path.samefile(source_path, target):
        raise InputError(f"副本 dst 不能与原数据库 src 是同一个文件 (same file)：{target}")
    if target.exists() and not overwrite:
        raise InputError(_exists(target))
    source = open_database(source_path, readonly=True)
    try:
        with staged_file(target, overwrite=overwrite) as tmp:
            dest = sqlite3.connect(tmp)
            try:
                source.backup(dest)
            finally:
                dest.close()
    finally:
        source.close()
    return target


# --- working with an open database ------------------------------------------------------------------------

def _connection(conn: object) -> sqlite3.Connection:
    if not isinstance(conn, sqlite3.Connection):
        raise InputError(f"数据库连接 conn 必须是 sqlite3.Connection（open_database 的结果），"
                         f"收到 {type(conn).__name__}")
    return conn


_WRITE_ACTIONS = {getattr(sqlite3, name) for name in dir(sqlite3) if name.startswith(
    ("SQLITE_INSERT", "SQLITE_UPDATE", "SQLITE_DELETE", "SQLITE_CREATE_", "SQLITE_DROP_", "SQLITE_ALTER_TABLE",
     "SQLITE_ATTACH", "SQLITE_DETACH"))}


def _read_only(action: int, *_args: object) -> int:
    return sqlite3.SQLITE_DENY if action in _WRITE_ACTIONS else sqlite3.SQLITE_OK


def query(conn: sqlite3.Connection, sql: str, params: Mapping[str, object] | Iterable[object] | None = None
          ) -> pd.DataFrame:
    """SQL 查询 run one read-only SQL query (``SELECT`` or ``WITH … SELECT``) and return the rows as a DataFrame.

    ``params`` fill ``?`` (a sequence) or ``:name`` (a dict) placeholders — never paste values into the SQL
    text. Statements that change data are refused (use :func:`insert_rows` on a student copy). A mistake in
    the SQL is an :class:`InputError` with SQLite's message and the start of the query.
    """
    con = _connection(conn)
    if not isinstance(sql, str) or not sql.strip():
        raise InputError(f"SQL 语句 sql 必须是非空字符串，收到 {sql!r}")
    con.set_authorizer(_read_only)
    try:
        return pd.read_sql_query(sql, con, params=params)
    except (sqlite3.Error, pd.errors.DatabaseError) as exc:
        reason = exc.__cause__ if isinstance(exc.__cause__, sqlite3.Error) else exc
        hint = "（query 只用于读取数据 read-only）" if "not authorized" in str(reason) else ""
        raise InputError(f"SQL 查询出错 query failed：{reason}{hint}；SQL：{' '.join(sql.split())[:160]}") from None
    finally:
        con.set_authorizer(None)


def table_counts(conn: sqlite3.Connection) -> pd.DataFrame:
    """各表行数 the number of rows in each table of the database (index: table name; columns ``中文名``,
    ``rows``), in the order of :data:`TABLES`."""
    con = _connection(conn)
    present = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    rows = [(name, title, con.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0])
            for name, title in TABLES.items() if name in present]
    return pd.DataFrame(rows, columns=["table", "中文名", "rows"]).set_index("table")


def table_schema(conn: sqlite3.Connection, table: str) -> pd.DataFrame:
    """表结构 the columns of ``table``: name, declared type, NOT NULL, primary-key position, and the table
    each foreign key refers to."""
    con = _connection(conn)
    if table not in TABLES:
        raise InputError(f"表名 table 只能是 {', '.join(TABLES)}，收到 {table!r}")
    info = pd.DataFrame(con.execute(f'PRAGMA table_info("{table}")').fetchall(),
                        columns=["cid", "column", "type", "not_null", "default", "primary_key"])
    refs = {row[3]: f"{row[2]}({row[4]})" for row in con.execute(f'PRAGMA foreign_key_list("{table}")')}
    info["references"] = info["column"].map(refs).fillna("")
    info["not_null"] = info["not_null"].astype(bool) | (info["primary_key"] > 0)
    return info[["column", "type", "not_null", "primary_key", "references"]].set_index("column")


def insert_rows(conn: sqlite3.Connection, table: str, rows: pd.DataFrame | Iterable[Mapping[str, object]]) -> int:
    """写入数据 insert ``rows`` (a DataFrame or dicts, column → value) into ``table`` as one transaction and
    return the number of rows written. If the database rejects any row (a constraint or trigger: unknown
    customer, bad date, negative amount …) nothing is written and an :class:`InputError` says why.
    Needs a connection opened with ``readonly=False`` (on a student copy)."""
    con = _connection(conn)
    if table not in TABLES:
        raise InputError(f"表名 table 只能是 {', '.join(TABLES)}，收到 {table!r}")
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    if frame.empty:
        return 0
    known = [row[1] for row in con.execute(f'PRAGMA table_info("{table}")')]
    unknown = [c for c in frame.columns if c not in known]
    if unknown:
        raise InputError(f"表 {table} 没有这些列 unknown columns {unknown}；可用的列 {known}")
    try:
        with con:
            _insert(con, table, frame, {c: c for c in frame.columns})
    except sqlite3.IntegrityError as exc:
        raise InputError(f"写入表 {table} 被数据库拒绝 rejected by a constraint：{exc}（没有写入任何行）") from None
    except sqlite3.OperationalError as exc:
        if "readonly" in str(exc):
            raise InputError("数据库以只读方式打开 (read-only)：请在学生副本上用 open_database(path, readonly=False)"
                             ) from None
        raise InputError(f"写入表 {table} 失败 insert failed：{exc}") from None
    return len(frame)
