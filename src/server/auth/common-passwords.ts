import ranked from './common-passwords.json';

/**
 * The 10,000 most used passwords, most used first: the head of the list zxcvbn-ts ships
 * (@zxcvbn-ts/language-common 4.1.3, `passwords.json`, MIT, built from leaked-password
 * frequency lists). Kept in the repo so sign-up never asks the network. Compared without case:
 * `Password1` is as guessable as `password1`.
 */
let common: Set<string> | undefined;

export function isCommonPassword(password: string): boolean {
  common ??= new Set((ranked as string[]).map((entry) => entry.toLowerCase()));
  return common.has(password.toLowerCase());
}
