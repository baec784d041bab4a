/**
 * The hooks of the transfer RPCs (Download, Upload, ScheduleDownload, CancelTransfer,
 * GetAllQueuedTransfers, GetQueuedTransfers): the agent's transfer manager implements
 * {@link TransferManager} and registers it with {@link registerTransferManager}. Until then these
 * methods are not in the registry, so the ACS gets fault 9000 and GetRPCMethods omits them.
 * @module
 */
import type { Effect } from "effect";
import type { CwmpFault } from "../cwmp/fault.js";
import type {
  CancelTransfer,
  CancelTransferResponse,
  Download,
  DownloadResponse,
  GetAllQueuedTransfersResponse,
  GetQueuedTransfersResponse,
  ScheduleDownload,
  ScheduleDownloadResponse,
  Upload,
  UploadResponse,
} from "../soap/acs-methods.js";
import { type RpcContext, type RpcHandler, rpcHandler } from "./rpc-handler.js";
import type { RpcRegistry } from "./rpc-registry.js";

/**
 * What the agent's transfer manager offers; a method left out is not supported (fault 9000).
 * Each receives the request and its RPC context (to record a CPE request, e.g. a
 * TransferComplete for a transfer that finished during the call).
 */
export interface TransferManager {
  /** Download: status 1 means completion comes later in a TransferComplete (§1.13). */
  readonly download?: (
    request: Download,
    context: RpcContext<Download>,
  ) => Effect.Effect<DownloadResponse, CwmpFault>;
  readonly upload?: (
    request: Upload,
    context: RpcContext<Upload>,
  ) => Effect.Effect<UploadResponse, CwmpFault>;
  readonly scheduleDownload?: (
    request: ScheduleDownload,
    context: RpcContext<ScheduleDownload>,
  ) => Effect.Effect<ScheduleDownloadResponse, CwmpFault>;
  /** Fault 9021 when the transfer can no longer be cancelled. */
  readonly cancelTransfer?: (
    request: CancelTransfer,
    context: RpcContext<CancelTransfer>,
  ) => Effect.Effect<CancelTransferResponse, CwmpFault>;
  readonly getAllQueuedTransfers?: () => Effect.Effect<GetAllQueuedTransfersResponse, CwmpFault>;
  /** Deprecated RPC; at most 16 entries. */
  readonly getQueuedTransfers?: () => Effect.Effect<GetQueuedTransfersResponse, CwmpFault>;
}

/** The transfer handlers a manager provides, by method name. */
export const transferHandlers = (
  manager: TransferManager,
): ReadonlyArray<readonly [string, RpcHandler]> => {
  const {
    download,
    upload,
    scheduleDownload,
    cancelTransfer,
    getAllQueuedTransfers,
    getQueuedTransfers,
  } = manager;
  const handlers: Array<readonly [string, RpcHandler]> = [];
  if (download) handlers.push(["Download", rpcHandler("Download", (c) => download(c.request, c))]);
  if (upload) handlers.push(["Upload", rpcHandler("Upload", (c) => upload(c.request, c))]);
  if (scheduleDownload)
    handlers.push([
      "ScheduleDownload",
      rpcHandler("ScheduleDownload", (c) => scheduleDownload(c.request, c)),
    ]);
  if (cancelTransfer)
    handlers.push([
      "CancelTransfer",
      rpcHandler("CancelTransfer", (c) => cancelTransfer(c.request, c)),
    ]);
  if (getAllQueuedTransfers)
    handlers.push([
      "GetAllQueuedTransfers",
      rpcHandler("GetAllQueuedTransfers", () => getAllQueuedTransfers()),
    ]);
  if (getQueuedTransfers)
    handlers.push([
      "GetQueuedTransfers",
      rpcHandler("GetQueuedTransfers", () => getQueuedTransfers()),
    ]);
  return handlers;
};

/** Registers the manager's transfer methods in `registry` (replacing earlier ones). */
export const registerTransferManager = (registry: RpcRegistry, manager: TransferManager): void => {
  for (const [name, handler] of transferHandlers(manager)) registry.register(name, handler);
};
