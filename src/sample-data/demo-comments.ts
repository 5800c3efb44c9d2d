// The demo's customer comments, composed so that search, themes and verbatims look like real data: a
// sentence about the touchpoint the customer is thinking of, often one about the dimension they rated
// lowest (or highest), now and then a closing remark, praise or complaint by their overall rating, with
// specifics (amounts in their plan's price, days, devices, staff roles). Short stock remarks ("Too
// expensive.") recur as they do in real surveys. Drawn from its own seeded stream (demo-history.ts), so
// the rest of the demo is the same with or without it.
import { pick } from './random.ts';

type Tone = 'good' | 'mixed' | 'bad';
type Bank = Record<Tone, readonly string[]>;

/** Monthly price of each plan, in the customer's region's currency (for "charged {amount} twice"). */
const PRICE: Record<string, number> = { basic: 7.99, standard: 12.99, premium: 17.99 };
const CURRENCY: Record<string, string> = { EMEA: '€', 'North America': '$', APAC: 'A$', LATAM: 'R$' };
const DEVICES = ['Samsung TV', 'LG TV', 'Fire Stick', 'Roku', 'Chromecast', 'iPad', 'Android phone', 'iPhone', 'PS5', 'Xbox', 'laptop', 'Apple TV'];
const ROLES = ['the agent', 'the chat agent', 'a supervisor', 'the lady on the phone', 'the guy on chat', 'the billing team', 'the technician', 'someone in retentions'];
const SHOWS = ['the new crime series', 'the football', 'Formula 1', 'the kids’ cartoons', 'the documentary channel', 'the live concerts', 'the anime section', 'the season finale'];

const SHORT: Bank = {
  good: ['Great service.', 'Love it!', 'Very happy.', 'No complaints.', 'All good, thanks.', 'Keep it up!', 'Excellent.', 'Best streaming service I have had.', 'Good value for money.', 'Works well.'],
  mixed: ['It’s ok.', 'Could be better.', 'Fine, nothing special.', 'Average.', 'Too expensive for what it is.', 'Getting pricier every year.', 'Mostly fine.'],
  bad: ['Too expensive.', 'Terrible service.', 'Awful.', 'Cancelling soon.', 'Very disappointed.', 'Worst customer service ever.', 'Nobody listens.', 'Fix the app!', 'Not worth the money.'],
};

const TOUCHPOINT: Record<string, Bank> = {
  advertising: {
    good: ['Saw the ad for {show} and signed up the same day.', 'Your adverts are honest about what is included, which I appreciate.', 'The social posts actually tell me when {show} is back.'],
    mixed: ['The ads promised {show} but it is only on premium.', 'I see the same advert {times} times a day on every site.'],
    bad: ['The advert said {amount} a month, the bill said otherwise.', 'Misleading ads: “everything included” is not true on {plan}.', 'Stop following me around the internet with adverts, I am already a customer.'],
  },
  website: {
    good: ['The website is clear and I found the plan I wanted in a minute.', 'Easy to manage my account on the website.', 'Changing my payment card on the website took seconds.'],
    mixed: ['The website and the app show different prices.', 'The website is fine but the account page is hard to find.', 'Search on the website never finds {show}.'],
    bad: ['The website logged me out {times} times while I was trying to update my card.', 'Could not find how to change plan anywhere on the website.', 'The website keeps saying “something went wrong” at payment.'],
  },
  pricing: {
    good: ['Fair price for what you get, and the {plan} plan suits us.', 'Clear plans, no hidden extras.', 'Good value compared with the others, even on {plan}.'],
    mixed: ['The price went up again, {amount} a month is getting a lot.', 'Decent service but the plans are confusing.', 'I would like a cheaper plan without {show}.'],
    bad: ['Price went up to {amount} with no warning.', 'Third price rise in two years. Too expensive now.', 'Why does the {plan} plan cost more here than in other countries?', 'Paying {amount} a month and still getting adverts is a joke.'],
  },
  checkout: {
    good: ['Sign-up was quick, I was watching in five minutes.', 'Checkout was simple and the free trial was clearly explained.', 'Signing up on my {device} was painless.'],
    mixed: ['Sign-up was fine, but it asked for my card details twice.', 'The trial conditions were in the small print.'],
    bad: ['The payment failed {times} times at checkout and I was still charged.', 'Signed up for the trial and was charged {amount} the next day.', 'Checkout would not accept my card, support had no idea why.'],
  },
  welcome: {
    good: ['The welcome e-mail explained everything and setup on my {device} was easy.', 'Setting up profiles for the kids was easy.', 'Onboarding was smooth, the setup guide was spot on.'],
    mixed: ['Setup was ok but the {device} app needed a code that never arrived first time.', 'Too many welcome e-mails, but the setup itself was fine.'],
    bad: ['Took me {days} days to get it working on my {device}.', 'The activation code expired before I could type it in.', 'Nobody explained that {show} is not included until after I paid.'],
  },
  app: {
    good: ['The app just works, even on my old {device}.', 'Downloads for the plane worked perfectly.', 'The recommendations are spot on, found {show} that way.', 'The new app is much faster on my {device}.'],
    mixed: ['The app is good but crashes on my {device} now and then.', 'Picture quality is great but the app forgets where I stopped.', 'Good app, but subtitles are out of sync on {show}.'],
    bad: ['The app crashes every evening on my {device}.', 'Streams buffer every night during {show}.', 'The last update broke the app on my {device} and it has been {days} days.', 'The app logs me out constantly and I have to type my password on the TV.', 'Since the update I cannot cast to my {device} anymore.'],
  },
  billing: {
    good: ['Billing is clear and always on the same day.', 'I was refunded {amount} quickly after a double charge, no fuss.', 'The bill is easy to understand.'],
    mixed: ['The bill is correct but I don’t understand the extra line for taxes.', 'It took two calls to get my billing date changed.'],
    bad: ['I was charged {amount} twice and it took {days} days to get a refund.', 'Charged for {plan} after I downgraded.', 'My bill went up by {amount} and nobody told me why.', 'Still waiting {days} days for the refund {role} promised.', 'Billed for a month after I cancelled.'],
  },
  help_centre: {
    good: ['The help centre answered my question straight away.', 'Found the answer in the help articles in a minute.', 'Clear guides for setting up the {device}.'],
    mixed: ['The help articles are out of date, the screens look different now.', 'The help centre is ok but never covers my exact problem.'],
    bad: ['The chat bot sent me in circles; I never reached a person.', 'The help centre tells me to restart the router every time.', 'No way to contact a human from the help pages.', 'Searched the help centre for {days} days, nothing about my problem.'],
  },
  contact_centre: {
    good: ['{role} sorted my account in minutes. Impressed.', 'Friendly support, {role} really listened.', 'Called about my bill and {role} fixed it on the spot.', 'Support called me back as promised.'],
    mixed: ['Support was polite but I had to explain my problem {times} times.', 'Solved in the end, but I waited {minutes} minutes on hold.', '{role} was nice but could not do anything.'],
    bad: ['Waited {minutes} minutes on hold, then got cut off.', 'I had to explain my problem {times} times to different people.', '{role} promised a call back in {days} days. Never happened.', 'Support just reads from a script.', 'Transferred {times} times and still no answer.'],
  },
  renewal: {
    good: ['Pausing my subscription over the summer was easy.', 'Renewal was automatic and the reminder came in time.', 'Offered a better deal when I was about to leave. Staying.'],
    mixed: ['The renewal reminder came only {days} days before the charge.', 'Wanted to pause, could only cancel.'],
    bad: ['Cancelling was deliberately hard. Not coming back.', 'I cancelled online and was still charged {amount}.', 'Had to call {times} times to cancel, {role} kept offering discounts.', 'Auto-renewed at the full price of {amount} without warning.'],
  },
};

const ANY_TOUCHPOINT: Bank = {
  good: ['Everything works as it should.', 'Happy with the service overall.'],
  mixed: ['Good in parts, frustrating in others.'],
  bad: ['Nothing about this experience was easy.'],
};

/** One sentence per dimension, in the customer's words: praise when they rated it high, a complaint when low. */
const DIMENSION: Record<string, Bank> = {
  service: { good: ['You do what you say you will.'], mixed: ['Sometimes what is promised is not what I get.'], bad: ['What I was promised at sign-up is not what I got.'] },
  understanding: {
    good: ['You seem to understand what a family like mine needs.'],
    mixed: ['The recommendations don’t really know me.'],
    bad: ['Nobody understood what my problem actually was.', 'You clearly don’t know your customers.'],
  },
  integration: {
    good: ['The app, the website and support all know the same thing about me.'],
    mixed: ['The app and the website behave differently.'],
    bad: ['The app, the website and support all told me something different.', 'Each department acts as if the others don’t exist.'],
  },
  communication: {
    good: ['You always let me know before anything changes.', 'Clear e-mails, never spammy.'],
    mixed: ['Too many e-mails, and the important ones get lost.'],
    bad: ['Nobody told me the plan was changing until the bill arrived.', 'Messages from you contradict each other: e-mail says one thing, the app another.', 'I found out about the price change from the news, not from you.'],
  },
  reliability: {
    good: ['Never had an outage that I noticed.', 'It just works, every time.'],
    mixed: ['Mostly reliable, but it went down during {show}.'],
    bad: ['It went down during {show}, again.', 'Something breaks every week.'],
  },
  responsiveness: {
    good: ['Quick answers every time I asked.'],
    mixed: ['Answers come, but slowly.'],
    bad: ['It took {days} days to get any answer.', 'E-mails go unanswered for weeks.'],
  },
  assurance: { good: ['I trust you with my data and my card.'], mixed: ['Not sure how safe my details are after the last e-mail.'], bad: ['Staff did not seem to know what they were doing.'] },
  empathy: {
    good: ['You treated me like a person, not a ticket number.'],
    mixed: ['Polite, but nobody really cared.'],
    bad: ['Nobody cares once you have paid.', 'I felt like a number, not a customer.'],
  },
  tangibles: { good: ['The picture quality is superb.', 'The app looks great.'], mixed: ['The app looks dated next to the others.'], bad: ['The picture is blurry even on {plan}.'] },
};

const CLOSER: Bank = {
  good: ['Thanks!', 'Keep up the good work.', 'Will recommend to friends.', 'Been a customer for {years} years and still happy.'],
  mixed: ['Please sort this out.', 'Otherwise fine.', 'Still thinking about whether to stay.'],
  bad: ['Looking at other services now.', 'I will cancel if this happens again.', 'Been a customer for {years} years and this is how you treat me.', 'Very disappointed.', 'Sort it out!'],
};

const toneOf = (rating: number): Tone => (rating >= 4 ? 'good' : rating === 3 ? 'mixed' : 'bad');

function fill(r: () => number, s: string, ctx: { plan: string; region: string }): string {
  const price = PRICE[ctx.plan] ?? 12.99;
  return s.replace(/\{(\w+)\}/g, (_, slot: string) => {
    switch (slot) {
      case 'amount':
        // Mostly the plan's price; sometimes a round figure, as people remember it.
        return `${CURRENCY[ctx.region] ?? '€'}${r() < 0.7 ? price.toFixed(2) : String(Math.round(price * pick(r, [1, 2, 3])))}`;
      case 'days':
        return String(pick(r, [2, 3, 4, 5, 7, 10, 12, 14, 21]));
      case 'times':
        return pick(r, ['three', 'four', 'five', 'two']);
      case 'minutes':
        return String(pick(r, [20, 30, 40, 45, 50, 60, 90]));
      case 'years':
        return String(pick(r, [2, 3, 4, 5, 6, 8]));
      case 'device':
        return pick(r, DEVICES);
      case 'role':
        return pick(r, ROLES);
      case 'show':
        return pick(r, SHOWS);
      case 'plan':
        return ctx.plan;
      default:
        return slot;
    }
  });
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A customer's comment: `answers` are their ratings (dim:<key> and excellent), `touchpoint` the one they
 * were thinking of. About a third are short stock remarks; the rest are composed from the banks above.
 */
export function demoComment(r: () => number, ctx: { touchpoint: string; plan: string; region: string; answers: Record<string, number> }): string {
  const tone = toneOf(ctx.answers.excellent ?? 3);
  if (r() < 0.3) return pick(r, SHORT[tone]);
  const parts = [pick(r, (TOUCHPOINT[ctx.touchpoint] ?? ANY_TOUCHPOINT)[tone])];
  // The dimension they rated furthest from their overall verdict in its direction: the lowest when unhappy.
  const rated = Object.entries(ctx.answers).filter(([k]) => k.startsWith('dim:') && DIMENSION[k.slice(4)]);
  if (rated.length && r() < 0.55) {
    const [key, rating] = rated.reduce((a, b) => ((tone === 'good' ? b[1] > a[1] : b[1] < a[1]) ? b : a));
    parts.push(pick(r, DIMENSION[key.slice(4)]![toneOf(rating)]));
  }
  if (r() < 0.3) parts.push(pick(r, CLOSER[tone]));
  return parts.map((p) => capitalise(fill(r, p, ctx))).join(' ');
}
