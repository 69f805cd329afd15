// Staff sign in at the counter with their PIN (the screens' one PIN sign-in, in the counter's
// words); a counter computer the hub does not know yet is paired first with a manager's code.
import { PinSignIn, type PinSignInProps } from '../../components/PinSignIn';
import { counterRefusal } from '../refusal-text';

export function SignIn(props: PinSignInProps) {
  return (
    <PinSignIn
      {...props}
      ns="cashier"
      refusal={counterRefusal}
      className="cashier-sign-in"
      cardClassName="sign-in-card"
    />
  );
}
