/**
 * Last line of defence against printing secrets: anything that looks like an AWS access key id,
 * a secret key, a session token or a bearer token is masked before it reaches a terminal or log.
 * The first line of defence is never putting secrets in messages at all.
 */
const patterns: RegExp[] = [
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
  /("?(?:accessToken|refreshToken|clientSecret|secretAccessKey|sessionToken|SecretAccessKey|SessionToken|access_token|refresh_token|client_secret)"?\s*[:=]\s*"?)[^"\s,}]+/g,
];

export function redact(text: string): string {
  let result = text.replace(patterns[0], "****");
  result = result.replace(patterns[1], (_m, prefix: string) => `${prefix}****`);
  return result;
}
