declare module 'tunnel' {
  import type { Agent } from 'node:http';
  export function httpsOverHttp(options: object): Agent;
  export function httpsOverHttps(options: object): Agent;
  export function httpOverHttp(options: object): Agent;
  export function httpOverHttps(options: object): Agent;
}
