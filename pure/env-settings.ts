// Changing one setting in the text of a `.env` file, as `npm run setup` does: the line
// that sets it is replaced in place (comments and order kept), or the setting is added.
export function withSetting(envText: string, name: string, value: string): string {
  const line = `${name}=${value}`;
  const pattern = new RegExp(`^\\s*(?:export\\s+)?${name}\\s*=.*$`, 'm');
  if (pattern.test(envText)) return envText.replace(pattern, line);
  return `${envText}${envText && !envText.endsWith('\n') ? '\n' : ''}${line}\n`;
}
