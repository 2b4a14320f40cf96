import { splitLines } from '../core/lines.js';
import { inputValue, type RawInputs } from './inputs.js';

/** The registry inputs every publishing action shares (see registry-inputs.ts for the clients they open). */
export interface RegistryInputs {
  username?: string;
  password?: string;
  registry?: string;
  insecureRegistries: string[];
}

export function registryInputs(raw: RawInputs): RegistryInputs {
  return {
    username: inputValue(raw, 'username'),
    password: inputValue(raw, 'password'),
    registry: inputValue(raw, 'registry'),
    insecureRegistries: splitLines(raw['insecure-registries'])
  };
}
