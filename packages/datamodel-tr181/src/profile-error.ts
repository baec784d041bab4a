/**
 * The error family of device profiles: a profile that names something the schema lacks.
 * @module
 */
import * as Data from "effect/Data";

/** Why a profile could not be selected. */
export type ProfileErrorReason =
  /** A listed path is neither a parameter nor an object of the schema. */
  | "UnknownPath"
  /** The named profile has no path list for this schema's root data model. */
  | "NoProfileForRoot";

/** A profile does not fit the schema it was applied to. */
export class ProfileError extends Data.TaggedError("ProfileError")<{
  readonly reason: ProfileErrorReason;
  /** The profile name, or `paths` for a path list. */
  readonly profile: string;
  /** The schema's root and version, e.g. `Device:2.17`. */
  readonly model: string;
  /** The offending paths (for `UnknownPath`). */
  readonly paths: readonly string[];
}> {
  override get message(): string {
    return this.reason === "UnknownPath"
      ? `profile ${this.profile}: not in ${this.model}: ${this.paths.join(", ")}`
      : `profile ${this.profile} has no paths for ${this.model}`;
  }
}

/** True when `u` is a {@link ProfileError}. */
export const isProfileError = (u: unknown): u is ProfileError => u instanceof ProfileError;
