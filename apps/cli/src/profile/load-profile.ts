/**
 * Reads a device profile file (YAML or JSON), decodes it and checks the parts that depend on
 * each other (an ACS URL from `url` or from the legacy `requestOptions`).
 * @module
 */
import { readFile } from "node:fs/promises";
import { resolveRequestOptions } from "@cpekit/plugin-quecpython";
import { Data, Either, ParseResult, Schema } from "effect";
import { DeviceProfile } from "./device-profile.js";

/** A profile that cannot be read or does not describe a device; each problem names its field. */
export class ProfileError extends Data.TaggedError("ProfileError")<{
  readonly file: string;
  readonly problems: readonly string[];
}> {
  override get message(): string {
    return `bad profile ${this.file}:\n  ${this.problems.join("\n  ")}`;
  }
}

/** A decoded profile with the ACS URL settled. */
export interface LoadedProfile {
  readonly profile: DeviceProfile;
  readonly acsUrl: string;
  readonly acsUsername?: string;
  readonly acsPassword?: string;
  /** From the legacy `requestOptions` (`server_ip`, `server_port`) when given. */
  readonly legacyListener?: { readonly bindAddress: string; readonly port: number };
}

/** Decodes an already parsed profile object. `file` is used in messages only. */
export const decodeProfile = (
  value: unknown,
  file: string,
): Either.Either<LoadedProfile, ProfileError> => {
  const decoded = Schema.decodeUnknownEither(DeviceProfile, {
    errors: "all",
    onExcessProperty: "error",
  })(value);
  if (Either.isLeft(decoded)) {
    const problems = ParseResult.ArrayFormatter.formatErrorSync(decoded.left).map(
      (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    return Either.left(new ProfileError({ file, problems }));
  }
  const profile = decoded.right;
  if (profile.acs.requestOptions !== undefined) {
    const legacy = resolveRequestOptions(profile.acs.requestOptions);
    if (Either.isLeft(legacy)) {
      return Either.left(
        new ProfileError({ file, problems: legacy.left.problems.map((p) => `acs.${p}`) }),
      );
    }
    const { acs, connectionRequest } = legacy.right;
    if (profile.acs.url !== undefined && profile.acs.url !== acs.url) {
      return Either.left(
        new ProfileError({
          file,
          problems: [
            `acs.url: "${profile.acs.url}" disagrees with acs.requestOptions.url "${acs.url}"`,
          ],
        }),
      );
    }
    const username = profile.acs.username ?? acs.username;
    const password = profile.acs.password ?? acs.password;
    return Either.right({
      profile,
      acsUrl: acs.url,
      ...(username !== undefined ? { acsUsername: username } : {}),
      ...(password !== undefined ? { acsPassword: password } : {}),
      legacyListener: connectionRequest,
    });
  }
  if (profile.acs.url === undefined) {
    return Either.left(
      new ProfileError({
        file,
        problems: ["acs.url: expected the ACS URL (or acs.requestOptions)"],
      }),
    );
  }
  try {
    const url = new URL(profile.acs.url);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("scheme");
  } catch {
    return Either.left(
      new ProfileError({
        file,
        problems: [`acs.url: expected an http(s) URL, got "${profile.acs.url}"`],
      }),
    );
  }
  return Either.right({
    profile,
    acsUrl: profile.acs.url,
    ...(profile.acs.username !== undefined ? { acsUsername: profile.acs.username } : {}),
    ...(profile.acs.password !== undefined ? { acsPassword: profile.acs.password } : {}),
  });
};

/** Reads and decodes a profile file; `.json` files are JSON, anything else is parsed as YAML. */
export const loadProfile = async (
  file: string,
): Promise<Either.Either<LoadedProfile, ProfileError>> => {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    return Either.left(
      new ProfileError({ file, problems: [`cannot read the file: ${(cause as Error).message}`] }),
    );
  }
  let value: unknown;
  try {
    // yaml is loaded only for a YAML profile: a JSON one spares `cpekit run` its code. yaml is
    // CommonJS: `default` is its exports, in Node and in the bundled bin alike.
    value = file.endsWith(".json") ? JSON.parse(text) : (await import("yaml")).default.parse(text);
  } catch (cause) {
    return Either.left(
      new ProfileError({
        file,
        problems: [
          `not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${(cause as Error).message}`,
        ],
      }),
    );
  }
  return decodeProfile(value, file);
};
