// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

interface IERC20Minimal {
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}

/// @title OpenShard payment-channel escrow (USDC on Base).
/// @notice A payer (the buyer's wallet) funds a channel; a per-channel key (`signer`) signs
/// cumulative EIP-712 vouchers; the payee (seller) claims with the highest voucher; the payer
/// withdraws what is left after expiry plus a challenge window. The wallet never signs vouchers.
/// See docs/protocol.md section 9 and contracts/README.md.
contract OpenShardEscrow {
    struct Channel {
        address payer;
        address signer;
        address payee;
        uint64 expiry;
        bool closed;
        uint256 deposit;
        uint256 claimed;
        uint256 lastSequence;
    }

    bytes32 public constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 public constant VOUCHER_TYPEHASH = keccak256(
        "Voucher(bytes32 channelId,address payee,uint256 cumulativeAmount,uint256 sequence,bytes32 usageDigest)"
    );
    bytes32 public constant CHANNEL_OPEN_TYPEHASH =
        keccak256("ChannelOpen(bytes32 channelId,address signer,address payee,uint256 maxAmount,uint256 expiry)");
    bytes32 private constant NAME_HASH = keccak256("OpenShard Escrow");
    bytes32 private constant VERSION_HASH = keccak256("1");
    // secp256k1 n / 2: signatures with a larger s are malleable and rejected.
    uint256 private constant HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    IERC20Minimal public immutable token;
    uint64 public immutable challengeWindow;
    uint256 public immutable minAnchorBacking;

    mapping(bytes32 => Channel) private channels;
    /// Optional: an enrolled credential anchor backed by a funded channel (anchor hash => channel id).
    mapping(bytes32 => bytes32) public anchorChannel;

    event ChannelOpened(bytes32 indexed channelId, address indexed payer, address signer, address indexed payee,
        uint256 deposit, uint64 expiry);
    event ChannelToppedUp(bytes32 indexed channelId, uint256 amount, uint256 deposit, uint64 expiry);
    event Claimed(bytes32 indexed channelId, address indexed payee, uint256 cumulativeAmount, uint256 sequence,
        uint256 paid);
    event Withdrawn(bytes32 indexed channelId, address indexed payer, uint256 refunded);
    event AnchorBacked(bytes32 indexed anchorHash, bytes32 indexed channelId);

    error ChannelExists();
    error UnknownChannel();
    error InvalidArgument();
    error NotPayer();
    error ChannelClosed();
    error ChannelExpired();
    error ClaimWindowOver();
    error NotYetWithdrawable();
    error BadSignature();
    error StaleVoucher();
    error NothingToClaim();
    error TransferFailed();

    constructor(address token_, uint64 challengeWindow_, uint256 minAnchorBacking_) {
        if (token_ == address(0)) revert InvalidArgument();
        token = IERC20Minimal(token_);
        challengeWindow = challengeWindow_;
        minAnchorBacking = minAnchorBacking_;
    }

    function domainSeparator() public view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }

    /// Opens a channel funded by msg.sender (who must have approved `amount` to this contract).
    function open(bytes32 channelId, address signer, address payee, uint256 amount, uint64 expiry) external {
        if (channels[channelId].payer != address(0)) revert ChannelExists();
        if (signer == address(0) || payee == address(0) || amount == 0 || expiry <= block.timestamp) {
            revert InvalidArgument();
        }
        channels[channelId] = Channel({
            payer: msg.sender, signer: signer, payee: payee, expiry: expiry, closed: false,
            deposit: amount, claimed: 0, lastSequence: 0
        });
        _pull(msg.sender, amount);
        emit ChannelOpened(channelId, msg.sender, signer, payee, amount, expiry);
    }

    /// Adds `amount` to the deposit and optionally extends the expiry (never shortens it).
    function topUp(bytes32 channelId, uint256 amount, uint64 newExpiry) external {
        Channel storage c = channels[channelId];
        if (c.payer == address(0)) revert UnknownChannel();
        if (c.payer != msg.sender) revert NotPayer();
        if (c.closed) revert ChannelClosed();
        if (block.timestamp >= c.expiry) revert ChannelExpired();
        if (newExpiry > c.expiry) c.expiry = newExpiry;
        if (amount > 0) {
            c.deposit += amount;
            _pull(msg.sender, amount);
        }
        emit ChannelToppedUp(channelId, amount, c.deposit, c.expiry);
    }

    /// The payee is paid up to min(cumulativeAmount, deposit) minus what was already claimed.
    /// Anyone may submit the payee's voucher; the funds always go to the payee.
    function claim(bytes32 channelId, uint256 cumulativeAmount, uint256 sequence, bytes32 usageDigest,
        bytes calldata signature) external {
        Channel storage c = channels[channelId];
        if (c.payer == address(0)) revert UnknownChannel();
        if (c.closed) revert ChannelClosed();
        if (block.timestamp >= uint256(c.expiry) + challengeWindow) revert ClaimWindowOver();
        if (sequence <= c.lastSequence) revert StaleVoucher();
        bytes32 structHash =
            keccak256(abi.encode(VOUCHER_TYPEHASH, channelId, c.payee, cumulativeAmount, sequence, usageDigest));
        if (_recover(_digest(structHash), signature) != c.signer) revert BadSignature();
        uint256 payable_ = cumulativeAmount < c.deposit ? cumulativeAmount : c.deposit;
        if (payable_ <= c.claimed) revert NothingToClaim();
        uint256 pay = payable_ - c.claimed;
        c.claimed = payable_;
        c.lastSequence = sequence;
        _push(c.payee, pay);
        emit Claimed(channelId, c.payee, cumulativeAmount, sequence, pay);
    }

    /// After expiry plus the challenge window the payer takes back what was not claimed.
    function withdraw(bytes32 channelId) external {
        Channel storage c = channels[channelId];
        if (c.payer == address(0)) revert UnknownChannel();
        if (c.payer != msg.sender) revert NotPayer();
        if (c.closed) revert ChannelClosed();
        if (block.timestamp < uint256(c.expiry) + challengeWindow) revert NotYetWithdrawable();
        c.closed = true;
        uint256 refund = c.deposit - c.claimed;
        if (refund > 0) _push(c.payer, refund);
        emit Withdrawn(channelId, c.payer, refund);
    }

    /// Optional: binds an enrolled credential anchor (its hash) to a funded channel of the caller, so a
    /// registry can require anchors to be backed by a deposit. This links the anchor to the wallet on-chain.
    function backAnchor(bytes32 anchorHash, bytes32 channelId) external {
        Channel storage c = channels[channelId];
        if (c.payer == address(0)) revert UnknownChannel();
        if (c.payer != msg.sender) revert NotPayer();
        if (c.closed) revert ChannelClosed();
        if (c.deposit - c.claimed < minAnchorBacking) revert InvalidArgument();
        anchorChannel[anchorHash] = channelId;
        emit AnchorBacked(anchorHash, channelId);
    }

    /// True if the anchor is bound to an open, unexpired channel still holding at least minAnchorBacking.
    function isAnchorBacked(bytes32 anchorHash) external view returns (bool) {
        bytes32 id = anchorChannel[anchorHash];
        Channel storage c = channels[id];
        return c.payer != address(0) && !c.closed && block.timestamp < c.expiry
            && c.deposit - c.claimed >= minAnchorBacking;
    }

    function getChannel(bytes32 channelId) external view returns (address payer, address signer, address payee,
        uint256 deposit, uint256 claimed, uint64 expiry, uint256 lastSequence, bool closed) {
        Channel storage c = channels[channelId];
        return (c.payer, c.signer, c.payee, c.deposit, c.claimed, c.expiry, c.lastSequence, c.closed);
    }

    function _digest(bytes32 structHash) private view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(), structHash));
    }

    function _recover(bytes32 digest, bytes calldata sig) private pure returns (address) {
        if (sig.length != 65) revert BadSignature();
        bytes32 r = bytes32(sig[0:32]);
        bytes32 s = bytes32(sig[32:64]);
        uint8 v = uint8(sig[64]);
        if (uint256(s) > HALF_N || uint256(s) == 0 || uint256(r) == 0) revert BadSignature();
        if (v != 27 && v != 28) revert BadSignature();
        address a = ecrecover(digest, v, r, s);
        if (a == address(0)) revert BadSignature();
        return a;
    }

    function _pull(address from, uint256 amount) private {
        if (!token.transferFrom(from, address(this), amount)) revert TransferFailed();
    }

    function _push(address to, uint256 amount) private {
        if (!token.transfer(to, amount)) revert TransferFailed();
    }
}
