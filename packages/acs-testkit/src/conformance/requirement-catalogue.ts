/**
 * The rows of the conformance report: every requirement of `cwmp-requirements.md` a CPE can be
 * tested on. Rows come from the document itself when it is at hand (the `| V1 |` table rows,
 * the §1.4 method tables, the §1.5 event table, the §1.14 fault list), so a requirement added
 * to the document shows up as "not covered" without touching this file. Section items that
 * carry no ID in the document (§1.5-§1.13 bullets) get an ID of the form `§1.12-GPN-NextLevel`
 * from {@link sectionItems}. {@link embeddedRequirementRows} is the same list, fixed, for runs
 * without the document.
 * @module
 */

/** One row of the report: a requirement ID, its section and a short title. */
export interface RequirementRow {
  /** `V1`, `§1.4-GetRPCMethods`, `§1.12-GPN-NextLevel`, ... */
  readonly id: string;
  /** `1.1` .. `1.14`: the section of `cwmp-requirements.md` it belongs to. */
  readonly section: string;
  /** What the requirement asks, in a few words. */
  readonly title: string;
}

/** Titles of the sections, for the report's headings. */
export const sectionTitles: Readonly<Record<string, string>> = {
  "1.1": "Versions, namespaces, headers",
  "1.2": "HTTP session rules",
  "1.3": "Authentication",
  "1.4": "RPC methods",
  "1.5": "Inform events",
  "1.6": "Session retry policy",
  "1.7": "Connection Request (HTTP)",
  "1.8": "UDP Connection Request and STUN",
  "1.9": "XMPP Connection Request",
  "1.10": "Heartbeat and periodic Inform",
  "1.11": "ParameterKey, notifications, attributes",
  "1.12": "Addressing, GetParameterNames, instance numbers",
  "1.13": "Transfers",
  "1.14": "Fault codes",
};

const row = (id: string, section: string, title: string): RequirementRow => ({
  id,
  section,
  title,
});

/**
 * Section items without an ID in the document (bullets and prose), named here. The sections
 * they belong to are still read from the document: an item is kept only when its section is.
 */
export const sectionItems: readonly RequirementRow[] = [
  row(
    "§1.5-SingleMultiple",
    "1.5",
    "numbered event codes at most once per Inform, M events one per CommandKey",
  ),
  row("§1.5-ForcedInform", "1.5", "forced-inform parameters in every Inform"),
  row("§1.5-MaxEvents", "1.5", "at most 64 events in an Inform"),
  row("§1.6-RetryCount", "1.6", "RetryCount counts failed attempts, reset after success"),
  row("§1.6-RetryWait", "1.6", "retry waits from CWMPRetryMinimumWaitInterval/IntervalMultiplier"),
  row("§1.6-RetryAfter", "1.6", "503 + Retry-After honoured (GenieACS interop)"),
  row(
    "§1.8-UDP-ConnectionRequest",
    "1.8",
    "signed UDP Connection Request: one session with 6 CONNECTION REQUEST; replayed, forged, stale ones dropped",
  ),
  row(
    "§1.8-STUN",
    "1.8",
    "STUN binding kept alive; UDPConnectionRequestAddress and NATDetected current",
  ),
  row(
    "§1.9-XMPP-ConnectionRequest",
    "1.9",
    "XMPP IQ connectionRequest with the right credentials: IQ result and one session",
  ),
  row(
    "§1.9-XMPP-Refusals",
    "1.9",
    "wrong credentials: not-authorized; sender outside ConnReqAllowedJabberIDs: service-unavailable",
  ),
  row("§1.10-Periodic", "1.10", "periodic Inform at PeriodicInformTime + n·PeriodicInformInterval"),
  row("§1.10-Heartbeat", "1.10", "Heartbeat sessions carrying only 14 HEARTBEAT"),
  row("§1.10-Throttle", "1.10", "DefaultActiveNotificationThrottle"),
  row("§1.10-ScheduleReboot", "1.10", "ScheduleReboot / DelayReboot"),
  row(
    "§1.11-ParameterKey",
    "1.11",
    "ParameterKey = key of the last successful SPV/AddObject/DeleteObject",
  ),
  row("§1.11-Notification-Passive", "1.11", "notification 1: changed value in the next Inform"),
  row("§1.11-Notification-Active", "1.11", "notification 2: session with 4 VALUE CHANGE"),
  row("§1.11-ForceEnabled", "1.11", "forceEnabled parameters always notify actively"),
  row("§1.11-CanDeny", "1.11", "active notification refused with 9009 where allowed"),
  row("§1.11-AcsChangeNoNotify", "1.11", "changes made by the ACS do not notify"),
  row("§1.11-AccessList", "1.11", "AccessList Subscriber kept"),
  row("§1.12-PartialPath", "1.12", "partial paths end with '.'; empty path = whole tree"),
  row("§1.12-GPN-FullName", "1.12", "GPN full name: NextLevel false one parameter, true 9003"),
  row("§1.12-GPN-NextLevel", "1.12", "GPN partial path NextLevel true: immediate children only"),
  row("§1.12-GPN-Subtree", "1.12", "GPN partial path NextLevel false: object and everything below"),
  row("§1.12-GPN-Root", "1.12", "GPN empty path NextLevel true: just the root object"),
  row("§1.12-GPN-Writable", "1.12", "objects' Writable = can AddObject / DeleteObject"),
  row(
    "§1.12-AddObject-Instances",
    "1.12",
    "instance numbers >= 1, unique, not reused, stable over reboot",
  ),
  row("§1.12-Wildcards", "1.12", "* instance wildcards (InstanceWildcardsSupported)"),
  row("§1.12-Alias", "1.12", "alias-based addressing"),
  row("§1.12-SPV-Atomic", "1.12", "SPV all-or-nothing with a fault per bad parameter"),
  row("§1.12-SPV-Duplicate", "1.12", "SPV of one parameter twice: 9003"),
  row(
    "§1.12-SPV-Lexical",
    "1.12",
    "boolean 1/0/true/false and fractional-second dateTimes accepted",
  ),
  row("§1.12-Diagnostics", "1.12", "DiagnosticsState=Requested, 8 DIAGNOSTICS COMPLETE"),
  row("§1.13-Download-Async", "1.13", "Download Status 1 then TransferComplete with times"),
  row("§1.13-TransferComplete-Faults", "1.13", "TransferComplete FaultCode in the allowed subset"),
  row("§1.13-ScheduleDownload-Windows", "1.13", "ScheduleDownload time windows"),
  row("§1.13-Autonomous", "1.13", "AutonomousTransferCompletePolicy"),
  row("§1.14-FaultShape", "1.14", "SOAP Fault: faultcode Client/Server, cwmp:Fault detail"),
];

/** The methods a CPE MUST implement (Table 5, FactoryReset included as PT15 reads it). */
export const requiredAcsMethods = [
  "GetRPCMethods",
  "SetParameterValues",
  "GetParameterValues",
  "GetParameterNames",
  "SetParameterAttributes",
  "GetParameterAttributes",
  "AddObject",
  "DeleteObject",
  "Reboot",
  "Download",
] as const;

/** Every ID the current document has, fixed here for runs without it (kept in step by a test). */
export const embeddedRequirementRows: readonly RequirementRow[] = [
  ...["V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8"].map((id) => row(id, "1.1", "")),
  ...["H1", "H2", "H3", "H4", "H5", "H6", "H7", "H8", "H9", "H10", "H11"].map((id) =>
    row(id, "1.2", ""),
  ),
  ...["A1", "A2", "A3"].map((id) => row(id, "1.3", "")),
  ...[
    ...requiredAcsMethods,
    "FactoryReset",
    "Upload",
    "ScheduleInform",
    "ScheduleDownload",
    "CancelTransfer",
    "GetAllQueuedTransfers",
    "GetQueuedTransfers",
    "ChangeDUState",
    "SetVouchers",
    "GetOptions",
  ].map((m) => row(`§1.4-${m}`, "1.4", `${m} (ACS→CPE)`)),
  ...[
    "Inform",
    "TransferComplete",
    "GetRPCMethods",
    "AutonomousTransferComplete",
    "DUStateChangeComplete",
    "AutonomousDUStateChangeComplete",
    "RequestDownload",
    "Kicked",
  ].map((m) => row(`§1.4-CPE-${m}`, "1.4", `${m} (CPE→ACS)`)),
  ...[
    "0 BOOTSTRAP",
    "1 BOOT",
    "2 PERIODIC",
    "3 SCHEDULED",
    "4 VALUE CHANGE",
    "5 KICKED",
    "6 CONNECTION REQUEST",
    "7 TRANSFER COMPLETE",
    "8 DIAGNOSTICS COMPLETE",
    "9 REQUEST DOWNLOAD",
    "10 AUTONOMOUS TRANSFER COMPLETE",
    "11 DU STATE CHANGE COMPLETE",
    "12 AUTONOMOUS DU STATE CHANGE COMPLETE",
    "14 HEARTBEAT",
    "M Reboot",
  ].map((e) => row(eventId(e), "1.5", `event ${e}`)),
  ...["C1", "C2", "C3", "C4", "C5", "C6", "C7"].map((id) => row(id, "1.7", "")),
  ...[
    9000, 9001, 9002, 9003, 9004, 9005, 9006, 9007, 9008, 9009, 9010, 9011, 9012, 9013, 9014, 9015,
    9016, 9017, 9018, 9019, 9020, 9021, 9022, 9023, 9024, 9025, 9026, 9027, 9028, 9029, 9030, 9031,
    9032,
  ].map((c) => row(`§1.14-${c}`, "1.14", `fault ${c}`)),
  ...sectionItems,
];

/** The row ID of an event code: `§1.5-0-BOOTSTRAP`, `§1.5-M-Reboot`. */
export function eventId(code: string): string {
  return `§1.5-${code.trim().replace(/\s+/g, "-")}`;
}

/** The cells of a Markdown table row, or undefined when the line is not one. */
const cells = (line: string): string[] | undefined => {
  const t = line.trim();
  if (!t.startsWith("|") || !t.endsWith("|")) return undefined;
  return t
    .slice(1, -1)
    .split("|")
    .map((c) => c.trim());
};

const plain = (text: string): string =>
  text
    .replace(/\*\*/g, "")
    .replace(/`/g, "")
    .replace(/\s*\[[VSR]\][^|]*$/, "")
    .trim();

/** The first clause of a requirement's text, short enough for a table cell. */
const shortTitle = (text: string): string => {
  const p = plain(text);
  const cut = p.search(/\.\s|;|:\s|\s\(/);
  const first = (cut > 10 ? p.slice(0, cut) : p).trim();
  return first.length > 90 ? `${first.slice(0, 87)}...` : first;
};

/**
 * The rows of the document `text` (the content of `cwmp-requirements.md`), in document order:
 * ID rows of the tables, one row per method of the §1.4 tables, per event of the §1.5 table,
 * per CPE fault code of §1.14, and the {@link sectionItems} of the sections present. Never
 * fails: an unexpected layout yields fewer rows (the caller may fall back to the embedded list
 * when it yields none).
 */
export const requirementRowsFromDocument = (text: string): RequirementRow[] => {
  const rows: RequirementRow[] = [];
  const seen = new Set<string>();
  const add = (r: RequirementRow) => {
    if (seen.has(r.id)) return;
    seen.add(r.id);
    rows.push(r);
  };
  let section = "";
  let methodTable: "acs" | "cpe" | undefined;
  let faultText = "";
  const flushItems = (s: string) => {
    if (s === "1.14") for (const code of cpeFaultCodes(faultText)) add(code);
    for (const item of sectionItems) if (item.section === s) add(item);
  };
  for (const line of text.split(/\r?\n/)) {
    const heading = /^#{2,4}\s+(\d+\.\d+)\s/.exec(line);
    if (heading?.[1] !== undefined) {
      if (section !== "") flushItems(section);
      section = heading[1];
      methodTable = undefined;
      continue;
    }
    if (/^#{1,2}\s/.test(line) && !/^#{2,4}\s+\d/.test(line)) {
      if (section !== "") flushItems(section);
      section = "";
      continue;
    }
    const c = cells(line);
    if (c === undefined) {
      // The fault list is prose wrapped over lines: read once the section is complete.
      if (section === "1.14") faultText += ` ${line}`;
      continue;
    }
    const [first = "", second = ""] = c;
    if (/^Method \(ACS→CPE\)/.test(first)) methodTable = "acs";
    else if (/^Method \(CPE→ACS\)/.test(first)) methodTable = "cpe";
    if (/^[VHAC]\d+$/.test(first)) {
      add(row(first, section, shortTitle(second)));
    } else if (section === "1.4" && methodTable !== undefined && /^[A-Z][A-Za-z /]+$/.test(first)) {
      if (first.startsWith("Method")) continue;
      const level = /^OPT/.test(plain(second))
        ? "optional"
        : /REQ/.test(second)
          ? "required"
          : "optional";
      const dir = methodTable === "acs" ? "ACS→CPE" : "CPE→ACS";
      for (const method of first.split("/").map((m) => m.trim())) {
        const id = methodTable === "acs" ? `§1.4-${method}` : `§1.4-CPE-${method}`;
        add(row(id, "1.4", `${method} (${dir}, ${level})`));
      }
    } else if (section === "1.5") {
      const code = first.replace(/\s*\(.*\)$/, "");
      if (/^(\d+ [A-Z ]+|M [A-Za-z]+)$/.test(code)) add(row(eventId(code), "1.5", `event ${code}`));
    }
  }
  if (section !== "") flushItems(section);
  return rows;
};

/** `§1.14-9xxx` rows for the CPE fault codes (9000-9799) named in the text of §1.14. */
const cpeFaultCodes = (line: string): RequirementRow[] => {
  const out: RequirementRow[] = [];
  // A code, its name up to the next "·" or the end of the sentence.
  const re = /\b(9[0-7]\d\d) ([A-Z…][^·]*?)(?=\s*·|\.\s|\.$|$)/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    const code = m[1] ?? "";
    out.push(
      row(`§1.14-${code}`, "1.14", `fault ${code} ${(m[2] ?? "").trim().replace(/\.$/, "")}`),
    );
  }
  return out;
};

/**
 * The rows to report: those of the document when `text` is given and yields rows, the
 * {@link embeddedRequirementRows} otherwise.
 */
export const requirementRows = (text: string | undefined): readonly RequirementRow[] => {
  const parsed = text === undefined ? [] : requirementRowsFromDocument(text);
  return parsed.length > 0 ? parsed : embeddedRequirementRows;
};
