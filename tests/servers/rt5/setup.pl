# Prepare Request Tracker for crmtpl's end-to-end tests (run by start.sh as root):
# root's password, a privileged agent with a phone number and rights on the General queue,
# and an auth token for root, printed as RT_TOKEN=... on stdout (the rest goes to stderr).
# Passwords come from ROOT_PASSWORD and AGENT_PASSWORD.
use strict;
use warnings;
use lib "/usr/share/request-tracker5/lib";
use RT;

RT::LoadConfig();
RT::Init();

my $root_password  = $ENV{ROOT_PASSWORD}  or die "ROOT_PASSWORD is not set\n";
my $agent_password = $ENV{AGENT_PASSWORD} or die "AGENT_PASSWORD is not set\n";

my $root = RT::User->new(RT->SystemUser);
$root->Load("root");
my ($ok, $msg) = $root->SetPassword($root_password);
print STDERR "root password: $msg\n";

my $agent = RT::User->new(RT->SystemUser);
$agent->Load("agent");
unless ($agent->id) {
    ($ok, $msg) = $agent->Create(
        Name         => "agent",
        EmailAddress => "agent\@peer.test",
        RealName     => "Peer Agent",
        Privileged   => 1,
        WorkPhone    => "+15550101",
        Password     => $agent_password,
    );
    print STDERR "agent: $msg\n";
}

my $queue = RT::Queue->new(RT->SystemUser);
$queue->Load("General");
for my $right (qw(SeeQueue ShowTicket CreateTicket ModifyTicket ReplyToTicket CommentOnTicket OwnTicket)) {
    $agent->PrincipalObj->GrantRight(Right => $right, Object => $queue);
}
for my $right (qw(AdminUsers ShowUserHistory)) {
    $agent->PrincipalObj->GrantRight(Right => $right, Object => $RT::System);
}

# RT 5's built-in auth tokens: "Authorization: token <value>"
my $token = RT::AuthToken->new(RT->SystemUser);
my ($id, $message, $value) = $token->Create(Owner => $root->id, Description => "crmtpl-e2e");
die "auth token: $message\n" unless $id;
print "RT_TOKEN=$value\n";
