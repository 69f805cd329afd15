// WeChat mini-program sign-in: a login code from wx.login() becomes an openid through the
// platform's code2Session. The adapter hides that call; the simulator stands in for it locally.

export interface WechatLogin {
  /** The openid for a one-time login code, or undefined when the platform refuses the code. */
  code2Session(code: string): Promise<{ openid: string } | undefined>;
}

/** Accepts any code once and maps it to a stable openid (`sim-<code>` unless told otherwise). */
export class SimulatedWechatLogin implements WechatLogin {
  private readonly used = new Set<string>();
  constructor(private readonly openids: Record<string, string> = {}) {}
  async code2Session(code: string): Promise<{ openid: string } | undefined> {
    if (this.used.has(code)) return undefined;
    this.used.add(code);
    return { openid: this.openids[code] ?? `sim-${code}` };
  }
}
