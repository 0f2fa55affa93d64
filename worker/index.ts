export default {
  async fetch(): Promise<Response> {
    return new Response("switchyard");
  },
};
export class ConfigStore {}
