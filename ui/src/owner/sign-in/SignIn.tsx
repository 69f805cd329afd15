// The owner or a manager signs in with their staff PIN on the hub's dashboard (the screens' one
// PIN sign-in, in the dashboard's words), pairing an unknown computer first as the counter does.
import { PinSignIn, type PinSignInProps } from '../../components/PinSignIn';
import { ownerRefusal } from '../refusal-text';

export function SignIn(props: PinSignInProps) {
  return (
    <PinSignIn
      {...props}
      ns="owner"
      refusal={ownerRefusal}
      className="owner-sign-in"
      cardClassName="owner-sign-in-card"
    />
  );
}
